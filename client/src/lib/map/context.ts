import { getContext, setContext } from 'svelte';
import type { Map as MapLibreMap } from 'maplibre-gl';

const KEY = Symbol('gridatlas.map');

/** The MapLibre map shared with the layer components, plus whether it still exists. */
export interface MapContext {
  map: MapLibreMap;
  /** False once the map has been removed: components must not touch it then. */
  alive: () => boolean;
}

/** Provides the map to child components (called by MapCanvas). */
export function provideMap(context: MapContext): void {
  setContext(KEY, context);
}

/** The map of the enclosing MapCanvas. */
export function useMap(): MapContext {
  const context = getContext<MapContext | undefined>(KEY);
  if (!context) throw new Error('useMap() must be called inside <MapCanvas>');
  return context;
}
