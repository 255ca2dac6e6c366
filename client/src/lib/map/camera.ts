import type { PaddingOptions, Map as MapLibreMap } from 'maplibre-gl';
import type { Bounds } from './geometry';

/** How a camera move frames its target. */
export interface CameraMove {
  /** Space kept clear around the target (panels), in pixels. */
  padding?: number | PaddingOptions;
  /** Animation length in milliseconds. */
  duration: number;
  /** Closest zoom a fit may reach. */
  maxZoom?: number;
}

/**
 * The one owner of the map camera: the only module that moves it (`fitBounds`,
 * `flyTo`, `easeTo`, `panBy`). Views, panels and state classes ask it to frame
 * a bounding box or a point. Attached by the workspace once the map exists.
 */
export class Camera {
  #map: MapLibreMap | null = null;

  /** Gives the camera its map (or takes it away with `null`). */
  attach(map: MapLibreMap | null): void {
    this.#map = map;
  }

  /** Current zoom, or `null` without a map. */
  get zoom(): number | null {
    return this.#map?.getZoom() ?? null;
  }

  /** The map's container element, or `null` without a map. */
  get container(): HTMLElement | null {
    return this.#map?.getContainer() ?? null;
  }

  /** Shows a `[west, south, east, north]` box whole. */
  fit(bounds: Bounds, move: CameraMove): void {
    this.#map?.fitBounds(
      [
        [bounds[0], bounds[1]],
        [bounds[2], bounds[3]],
      ],
      move,
    );
  }

  /** Flies to a point, zooming in to at least `minZoom`. */
  flyTo(center: [number, number], minZoom: number, move: CameraMove): void {
    const map = this.#map;
    if (!map) return;
    map.flyTo({ center, zoom: Math.max(map.getZoom(), minZoom), ...move });
  }

  /** Eases to a point at a zoom. */
  easeTo(center: [number, number], zoom: number, duration: number): void {
    this.#map?.easeTo({ center, zoom, duration });
  }

  /** Pans the view by pixels. */
  panBy(offset: [number, number], duration: number): void {
    this.#map?.panBy(offset, { duration });
  }
}

/** The application's single camera. */
export const camera = new Camera();
