import type { ExpressionSpecification, GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { CaseCollection, CaseKind } from '../api/cases.types';
import { COLLECTION_OF } from '../api/cases.client';
import { DEADLINE_COLORS, DISPUTE_STATUS_COLORS, HAZARD_STATUS_COLORS, KIND_CLUSTER_COLORS } from './case-theme.style';
import { addOrderedLayer } from './layer-order.util';
import { FONT_BOLD } from './map-theme.style';

/** Zoom above which a case layer no longer clusters. */
export const CLUSTER_MAX_ZOOM = 14;

/** The source and layer ids of a case kind (`hazards-*`, `disputes-*`). */
export function caseLayerIds(kind: CaseKind) {
  const source = COLLECTION_OF[kind];
  return {
    source,
    halo: `${source}-halo`,
    cluster: `${source}-cluster`,
    clusterCount: `${source}-cluster-count`,
    point: `${source}-point`,
    glyph: `${source}-glyph`,
    all: [`${source}-halo`, `${source}-cluster`, `${source}-cluster-count`, `${source}-point`, `${source}-glyph`],
  };
}

const isCluster: ExpressionSpecification = ['has', 'point_count'];
const notCluster: ExpressionSpecification = ['!', ['has', 'point_count']];
const deadline: ExpressionSpecification = ['get', 'deadlineState'];

function statusColor(kind: CaseKind): ExpressionSpecification {
  const colors: Record<string, string> = kind === 'hazard' ? HAZARD_STATUS_COLORS : DISPUTE_STATUS_COLORS;
  const pairs = Object.entries(colors).flat();
  return ['match', ['get', 'status'], ...pairs, '#868e96'] as unknown as ExpressionSpecification;
}

/**
 * Adds a clustered point source for a case kind and its layers: a pulsing halo
 * under overdue cases, cluster bubbles with counts (red ring when a cluster
 * holds an overdue case), and status-coloured points with a short glyph
 * (隐 / 纠) whose ring shows the deadline state (yellow near, red overdue).
 */
export function addCaseLayers(map: MapLibreMap, kind: CaseKind, glyph: string): void {
  const ids = caseLayerIds(kind);
  map.addSource(ids.source, {
    type: 'geojson',
    data: { type: 'FeatureCollection', features: [] },
    cluster: true,
    clusterRadius: 42,
    clusterMaxZoom: CLUSTER_MAX_ZOOM,
    clusterProperties: {
      overdue: ['+', ['case', ['==', deadline, 'overdue'], 1, 0]],
      near: ['+', ['case', ['==', deadline, 'near'], 1, 0]],
    },
  });
  addOrderedLayer(map, {
    id: ids.halo,
    type: 'circle',
    source: ids.source,
    filter: ['all', notCluster, ['==', deadline, 'overdue']],
    paint: {
      'circle-color': DEADLINE_COLORS.overdue,
      'circle-opacity': 0.25,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 12, 16, 20],
      'circle-blur': 0.3,
    },
  });
  addOrderedLayer(map, {
    id: ids.cluster,
    type: 'circle',
    source: ids.source,
    filter: isCluster,
    paint: {
      'circle-color': KIND_CLUSTER_COLORS[kind],
      'circle-opacity': 0.88,
      'circle-radius': ['step', ['get', 'point_count'], 14, 10, 18, 50, 23, 200, 28],
      'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], DEADLINE_COLORS.overdue, ['>', ['get', 'near'], 0], DEADLINE_COLORS.near, '#ffffff'],
      'circle-stroke-width': ['case', ['>', ['+', ['get', 'overdue'], ['get', 'near']], 0], 3, 2],
    },
  });
  addOrderedLayer(map, {
    id: ids.clusterCount,
    type: 'symbol',
    source: ids.source,
    filter: isCluster,
    layout: {
      'text-field': ['concat', glyph, ' ', ['get', 'point_count_abbreviated']],
      'text-font': FONT_BOLD,
      'text-size': 12,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#ffffff' },
  });
  addOrderedLayer(map, {
    id: ids.point,
    type: 'circle',
    source: ids.source,
    filter: notCluster,
    paint: {
      'circle-color': statusColor(kind),
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 10, 8, 14, 10.5, 17, 13],
      'circle-stroke-color': ['match', deadline, 'overdue', DEADLINE_COLORS.overdue, 'near', DEADLINE_COLORS.near, '#ffffff'],
      'circle-stroke-width': ['match', deadline, 'overdue', 3, 'near', 3, 1.6],
    },
  });
  addOrderedLayer(map, {
    id: ids.glyph,
    type: 'symbol',
    source: ids.source,
    filter: notCluster,
    layout: {
      'text-field': glyph,
      'text-font': FONT_BOLD,
      'text-size': ['interpolate', ['linear'], ['zoom'], 10, 9.5, 14, 11.5, 17, 14],
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#ffffff' },
  });
}

/** Replaces a case layer's points. */
export function setCaseData(map: MapLibreMap, kind: CaseKind, collection: CaseCollection): void {
  void map.getSource<GeoJSONSource>(caseLayerIds(kind).source)?.setData(collection);
}

/**
 * Makes a halo layer pulse so overdue cases draw the eye: it grows and fades
 * out over a second (a paint transition), then snaps back and rests. The rest
 * lets the map settle (`idle`) between pulses. Returns a function that stops it.
 */
export function pulse(map: MapLibreMap, layerId: string): () => void {
  const GROW_MS = 1000;
  const REST_MS = 700;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const small: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 10, 10, 16, 16];
  const large: ExpressionSpecification = ['interpolate', ['linear'], ['zoom'], 10, 20, 16, 30];
  const set = (radius: ExpressionSpecification, opacity: number, duration: number) => {
    if (!map.getLayer(layerId)) return false;
    map.setPaintProperty(layerId, 'circle-radius-transition', { duration, delay: 0 });
    map.setPaintProperty(layerId, 'circle-opacity-transition', { duration, delay: 0 });
    map.setPaintProperty(layerId, 'circle-radius', radius);
    map.setPaintProperty(layerId, 'circle-opacity', opacity);
    return true;
  };
  const grow = () => {
    if (!set(large, 0, GROW_MS)) return;
    timer = setTimeout(rest, GROW_MS);
  };
  const rest = () => {
    if (!set(small, 0.5, 0)) return;
    timer = setTimeout(grow, REST_MS);
  };
  rest();
  return () => {
    if (timer) clearTimeout(timer);
  };
}

/** Every layer whose features take a click before the areas below them (cases and key persons). */
export const CASE_PICK_LAYERS: readonly string[] = [
  ...(['hazard', 'dispute'] as const).flatMap((kind) => {
    const ids = caseLayerIds(kind);
    return [ids.point, ids.glyph, ids.cluster, ids.clusterCount];
  }),
  'key-persons-point',
];
