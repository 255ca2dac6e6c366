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
  /** The date control showing past boundaries (not while editing the current ones). */
  timeTravel: boolean;
}

/** The view table: view id → what it mounts. */
export const VIEWS: Record<AppMode, ViewSpec> = {
  map: { cases: true, areaPicking: true, areaPanel: true, exportImage: true, timeTravel: true },
  dashboard: { cases: true, areaPicking: true, areaPanel: false, exportImage: true, timeTravel: true },
  boundaries: { cases: false, areaPicking: false, areaPanel: false, exportImage: false, timeTravel: false },
  county: { cases: false, areaPicking: false, areaPanel: false, exportImage: true, timeTravel: false },
};

/** The view shown for `mode`: itself when `capabilities` allow it (none do when signed out), else the map. */
export function viewIdFor(mode: AppMode, capabilities: Capabilities): AppMode {
  return mayOpen(mode, capabilities) ? mode : 'map';
}
