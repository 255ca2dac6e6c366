import type { Capabilities, Capability } from '../features/account/capabilities';

/**
 * The views of the signed-in screen: the map (一张图), the leadership
 * dashboard (态势看板) and the boundary editor (边界编辑).
 */
export type AppMode = 'map' | 'dashboard' | 'boundaries' | 'county';

/** The capability (granted by the server, see `session.capabilities`) that opens each view, in tab order. */
export const MODE_CAPABILITY: Record<AppMode, Capability> = {
  map: 'viewMap',
  dashboard: 'viewDashboard',
  boundaries: 'editBoundaries',
  county: 'viewCounty',
};

/** Whether `capabilities` let the user open `mode`. */
export function mayOpen(mode: AppMode, capabilities: Capabilities): boolean {
  return capabilities[MODE_CAPABILITY[mode]];
}

/** The views the user may open, in tab order. */
export function modesFor(capabilities: Capabilities): AppMode[] {
  return (Object.keys(MODE_CAPABILITY) as AppMode[]).filter((mode) => mayOpen(mode, capabilities));
}

/** The current view of the signed-in screen, kept in the URL hash (`#dashboard`). */
export class AppModeState {
  /** The open view. */
  mode = $state<AppMode>('map');

  /** Opens `mode` when `capabilities` allow it, else the map; records it in the URL hash. */
  open(mode: AppMode, capabilities: Capabilities): void {
    this.mode = mayOpen(mode, capabilities) ? mode : 'map';
    const hash = this.mode === 'map' ? '' : `#${this.mode}`;
    if (typeof history !== 'undefined' && location.hash !== hash) {
      history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    }
  }

  /** Restores the view named in the URL hash, if `capabilities` allow it. */
  restore(capabilities: Capabilities): void {
    const wanted = (typeof location === 'undefined' ? '' : location.hash.slice(1)) as AppMode;
    this.open(Object.hasOwn(MODE_CAPABILITY, wanted) ? wanted : 'map', capabilities);
  }
}

/** The shared view state. */
export const appMode = new AppModeState();
