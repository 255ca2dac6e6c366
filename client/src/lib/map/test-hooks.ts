import type { Map as MapLibreMap } from 'maplibre-gl';

/** What the browser tests read: the map, and whether it is ready to be queried. */
declare global {
  interface Window {
    // Declared with exactly this shape by the browser tests too; keep them identical.
    __gridatlas?: { map: import('maplibre-gl').Map; ready?: boolean };
    /** Set by browser tests before the page loads (tests/support/browser.ts); never set in production. */
    __gridatlasTest?: { fadeDurationMs?: number; renderScale?: number; pulse?: boolean };
  }
}

/**
 * MapLibre options a browser test asked for before the page loaded, else none.
 *
 * Why: tests draw WebGL in software (SwiftShader), where a frame costs CPU in
 * proportion to its pixels, and every symbol fade draws more frames; the
 * suite's time was mostly that. A test may ask for no fades and a canvas drawn
 * at `renderScale` of the device pixels (stretched to the same CSS size, so
 * layout, clicks and `queryRenderedFeatures` are unchanged).
 */
export function testMapOptions(): { fadeDuration?: number; pixelRatio?: number } {
  const asked = typeof window === 'undefined' ? undefined : window.__gridatlasTest;
  if (!asked) return {};
  return {
    ...(asked.fadeDurationMs === undefined ? {} : { fadeDuration: asked.fadeDurationMs }),
    ...(asked.renderScale === undefined ? {} : { pixelRatio: window.devicePixelRatio * asked.renderScale }),
  };
}

/**
 * Whether a browser test asked for no pulsing halos (`pulse: false`).
 *
 * Why: a pulse is a paint transition the map redraws at full frame rate for a
 * second out of every 1.7 while an overdue case is in view; in
 * software WebGL that kept half a core busy for as long as a test page was
 * open. The halo is then drawn still, in its resting state.
 */
export function testPulseOff(): boolean {
  return typeof window !== 'undefined' && window.__gridatlasTest?.pulse === false;
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
