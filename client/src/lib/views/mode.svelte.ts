import type { Role } from '../api/types';

/**
 * The views of the signed-in screen: the map (一张图), the leadership
 * dashboard (态势看板) and the boundary editor (边界编辑).
 */
export type AppMode = 'map' | 'dashboard' | 'boundaries';

/** Which roles may open each view. */
export const MODE_ROLES: Record<AppMode, readonly Role[]> = {
  map: ['admin', 'leader', 'dispatcher', 'station', 'grid_worker'],
  dashboard: ['leader', 'dispatcher', 'station', 'admin'],
  boundaries: ['admin'],
};

/** The views `role` may open, in tab order. */
export function modesFor(role: Role): AppMode[] {
  return (Object.keys(MODE_ROLES) as AppMode[]).filter((mode) => MODE_ROLES[mode].includes(role));
}

/** The current view of the signed-in screen, kept in the URL hash (`#dashboard`). */
export class AppModeState {
  /** The open view. */
  mode = $state<AppMode>('map');

  /** Opens `mode` when `role` may, else the map; records it in the URL hash. */
  open(mode: AppMode, role: Role): void {
    this.mode = MODE_ROLES[mode].includes(role) ? mode : 'map';
    const hash = this.mode === 'map' ? '' : `#${this.mode}`;
    if (typeof history !== 'undefined' && location.hash !== hash) {
      history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    }
  }

  /** Restores the view named in the URL hash, if `role` may open it. */
  restore(role: Role): void {
    const wanted = (typeof location === 'undefined' ? '' : location.hash.slice(1)) as AppMode;
    this.open(wanted in MODE_ROLES ? wanted : 'map', role);
  }
}

/** The shared view state. */
export const appMode = new AppModeState();
