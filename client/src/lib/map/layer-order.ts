import type { AddLayerObject, Map as MapLibreMap } from 'maplibre-gl';

/**
 * Every layer the application adds, bottom to top. Components add their layers in
 * any order; {@link addOrderedLayer} slots each one into its place.
 */
export const LAYER_ORDER: readonly string[] = [
  'basemap-mountain',
  'basemap-lake',
  'basemap-lake-edge',
  'basemap-river',
  'basemap-road-casing',
  'basemap-road',
  'basemap-settlement',
  'online-osm',
  'online-tianditu-vec',
  'online-tianditu-cva',
  'town-fill',
  'villages-fill',
  'base-grids-fill',
  'fine-grids-fill',
  'fine-grids-line',
  'base-grids-line',
  'villages-line',
  'town-halo',
  'town-line',
  'risk-fill',
  'risk-line',
  'county-towns-line',
  'hexbins-fill',
  'hexbins-line',
  'clusters-fill',
  'clusters-line',
  'arcs-line',
  'key-persons-heat-fill',
  'key-persons-heat-line',
  'selection-fill',
  'selection-halo',
  'selection-line',
  'basemap-mountain-label',
  'basemap-road-label',
  'basemap-settlement-label',
  'basemap-lake-label',
  'fine-grids-label',
  'base-grids-label',
  'villages-label',
  'key-persons-heat-label',
  'risk-label',
  'county-towns-label',
  'hexbins-label',
  'clusters-badge',
  'key-persons-point',
  'hazards-halo',
  'disputes-halo',
  'hazards-cluster',
  'hazards-cluster-count',
  'hazards-point',
  'hazards-glyph',
  'disputes-cluster',
  'disputes-cluster-count',
  'disputes-point',
  'disputes-glyph',
  'register-marker-halo',
  'register-marker',
];

/** Adds a layer below the first already-present layer that should sit above it. */
export function addOrderedLayer(map: MapLibreMap, layer: AddLayerObject): void {
  const position = LAYER_ORDER.indexOf(layer.id);
  const before = LAYER_ORDER.slice(position + 1).find((id) => map.getLayer(id));
  map.addLayer(layer, before);
}

/** Shows or hides layers. */
export function setLayersVisible(map: MapLibreMap, ids: readonly string[], visible: boolean): void {
  for (const id of ids) {
    if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }
}

/** Removes layers, then sources, that are still on the map. */
export function removeLayers(map: MapLibreMap, layerIds: readonly string[], sourceIds: readonly string[] = []): void {
  for (const id of layerIds) {
    if (map.getLayer(id)) map.removeLayer(id);
  }
  for (const id of sourceIds) {
    if (map.getSource(id)) map.removeSource(id);
  }
}
