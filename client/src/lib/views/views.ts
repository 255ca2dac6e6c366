import type { Capabilities } from '../features/account/capabilities';
import { mayOpen, type AppMode } from './mode.svelte';

/**
 * What each view (tab) of the signed-in screen mounts on the shared map and
 * beside it, besides its own component (`MapView`, `DashboardView`,
 * `BoundariesView`). The map, the area layers, the layer panel and the risk
 * layers (a layer toggle of their own) are there in every view.
 */
export interface ViewSpec {
  /** Case, key-person and register layers, the case toolbar and the case panels. */
  cases: boolean;
  /** A click on the map selects an area. */
  areaPicking: boolean;
  /** The selected area's details panel. */
  areaPanel: boolean;
  /** The "export map image" button. */
  exportImage: boolean;
}

/** The view table: view id → what it mounts. */
export const VIEWS: Record<AppMode, ViewSpec> = {
  map: { cases: true, areaPicking: true, areaPanel: true, exportImage: true },
  dashboard: { cases: true, areaPicking: true, areaPanel: false, exportImage: true },
  boundaries: { cases: false, areaPicking: false, areaPanel: false, exportImage: false },
};

/** The view shown for `mode`: itself when `capabilities` allow it (none do when signed out), else the map. */
export function viewIdFor(mode: AppMode, capabilities: Capabilities): AppMode {
  return mayOpen(mode, capabilities) ? mode : 'map';
}

/**
 * Which right-hand panel is open — at most one: the case panels (a case, key
 * person, dispatch queue, leads or the register form), the risk explanation,
 * the cases of a hex bin, or the selected area's details.
 */
export type RightPanel = { type: 'cases' } | { type: 'risk-explain' } | { type: 'bin' } | { type: 'area'; id: number } | null;

/** The facts that decide the right-hand panel. */
export interface PanelFacts {
  view: ViewSpec;
  /** Whether a case-side panel is open (`cases.panel`). */
  casePanelOpen: boolean;
  /** Whether the risk map is on and readable by the user. */
  riskActive: boolean;
  /** The area whose risk is explained, or `null`. */
  explainId: number | null;
  /** Whether a hex bin's cases are open. */
  binOpen: boolean;
  /** The selected area, or `null`. */
  selectedId: number | null;
}

/** The one open right-hand panel: a case-side panel first, then risk explanation, bin cases, area details. */
export function rightPanel(facts: PanelFacts): RightPanel {
  if (facts.casePanelOpen) return facts.view.cases ? { type: 'cases' } : null;
  if (facts.riskActive && facts.explainId !== null) return { type: 'risk-explain' };
  if (facts.riskActive && facts.binOpen) return { type: 'bin' };
  if (facts.view.areaPanel && facts.selectedId !== null) return { type: 'area', id: facts.selectedId };
  return null;
}
