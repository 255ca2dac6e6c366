import type { Map as MapLibreMap } from 'maplibre-gl';

/** What the browser tests read: the map, and whether it is ready to be queried. */
declare global {
  interface Window {
    // Declared with exactly this shape by the browser tests too; keep them identical.
    __gridatlas?: { map: import('maplibre-gl').Map; ready?: boolean };
  }
}

/** Publishes the map as `window.__gridatlas = { map, ready: false }`. */
export function exposeMap(map: MapLibreMap): void {
  window.__gridatlas = { map, ready: false };
}

/** Sets `window.__gridatlas.ready` at the map's next `idle` event. */
export function markReadyAtIdle(map: MapLibreMap): void {
  map.once('idle', () => {
    if (window.__gridatlas?.map === map) window.__gridatlas.ready = true;
  });
}

/** Withdraws the hook when its map goes away. */
export function withdrawMap(map: MapLibreMap): void {
  if (window.__gridatlas?.map === map) delete window.__gridatlas;
}
