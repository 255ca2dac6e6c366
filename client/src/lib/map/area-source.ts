import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { AreaCollection } from '../api/types';
import { labelPoints } from './geometry';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };

/** The id of the point source that carries an area layer's label anchors. */
export function labelSourceId(sourceId: string): string {
  return `${sourceId}-labels`;
}

/**
 * Adds an empty polygon source (`sourceId`) and its label-point source. Label
 * points are computed once per polygon, so a label never repeats at tile seams.
 */
export function addAreaSources(map: MapLibreMap, sourceId: string): void {
  map.addSource(sourceId, { type: 'geojson', data: EMPTY });
  map.addSource(labelSourceId(sourceId), { type: 'geojson', data: EMPTY });
}

/**
 * Replaces an area layer's polygons and label points. Resolves once the polygons
 * have reached the map's worker (their tiles are reloading from then on).
 */
export async function setAreaData(map: MapLibreMap, sourceId: string, collection: AreaCollection): Promise<void> {
  const polygons = map.getSource<GeoJSONSource>(sourceId);
  const labels = map.getSource<GeoJSONSource>(labelSourceId(sourceId));
  void labels?.setData(labelPoints(collection.features));
  await polygons?.setData(collection as FeatureCollection);
}
