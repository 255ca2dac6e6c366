import type { ExpressionSpecification, Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import type { CaseKind } from './types';
import { COLLECTION_OF } from './api';
import { DEADLINE_COLORS, DISPUTE_STATUS_COLORS, HAZARD_STATUS_COLORS, KIND_CLUSTER_COLORS } from './theme';
import { addOrderedLayer } from '../../map/layer-order';
import { FONT_BOLD } from '../../map/theme';
import { testPulseOff } from '../../map/test-hooks';

/**
 * Zoom from which case tiles carry every case; below it the server clusters
 * them (`?cluster=16`: cells of 64 px, a lone case kept as itself). At 100k
 * sample cases z14 still drew thousands of overlapping points, hence 16. Also
 * the source's maxzoom: deeper zooms reuse the z16 tiles.
 */
export const CLUSTER_MAX_ZOOM = 16;

/** Cluster bubbles of the two kinds share the server's cells: hazards sit left, disputes right, so both stay readable. */
const CLUSTER_OFFSET_PX: Record<CaseKind, [number, number]> = { hazard: [-11, 0], dispute: [11, 0] };

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

const count: ExpressionSpecification = ['coalesce', ['get', 'point_count'], 1];
const isCluster: ExpressionSpecification = ['>', count, 1];
const notCluster: ExpressionSpecification = ['<=', count, 1];
const deadline: ExpressionSpecification = ['get', 'deadlineState'];
const abbreviated: ExpressionSpecification = [
  'case',
  ['>=', count, 10000],
  ['concat', ['to-string', ['round', ['/', count, 1000]]], 'k'],
  ['>=', count, 1000],
  ['concat', ['to-string', ['/', ['round', ['/', count, 100]], 10]], 'k'],
  ['to-string', count],
];

function statusColor(kind: CaseKind): ExpressionSpecification {
  const colors: Record<string, string> = kind === 'hazard' ? HAZARD_STATUS_COLORS : DISPUTE_STATUS_COLORS;
  const pairs = Object.entries(colors).flat();
  return ['match', ['get', 'status'], ...pairs, '#868e96'] as unknown as ExpressionSpecification;
}

/** The cluster bubbles' label: the glyph and the abbreviated count (隐 1.2k). */
export function clusterLabel(glyph: string): ExpressionSpecification {
  return ['concat', glyph, ' ', abbreviated];
}

/**
 * Adds a vector-tile source for a case kind (`tiles`: the `/api/tiles/…` URL
 * with the filters and `cluster=16`) and its layers: a pulsing halo under
 * overdue cases, cluster bubbles with counts (red ring when a cluster holds an
 * overdue case, yellow when one is near its deadline), and status-coloured
 * points with a short glyph (隐 / 纠) whose ring shows the deadline state.
 */
export function addCaseLayers(map: MapLibreMap, kind: CaseKind, glyph: string, tiles: string): void {
  const ids = caseLayerIds(kind);
  map.addSource(ids.source, { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: CLUSTER_MAX_ZOOM });
  const layer = { source: ids.source, 'source-layer': ids.source };
  addOrderedLayer(map, {
    id: ids.halo,
    type: 'circle',
    ...layer,
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
    ...layer,
    filter: isCluster,
    paint: {
      'circle-color': KIND_CLUSTER_COLORS[kind],
      'circle-opacity': 0.88,
      'circle-translate': CLUSTER_OFFSET_PX[kind],
      'circle-radius': ['step', count, 13, 10, 16, 50, 20, 200, 24],
      'circle-stroke-color': ['case', ['>', ['get', 'overdue'], 0], DEADLINE_COLORS.overdue, ['>', ['get', 'near'], 0], DEADLINE_COLORS.near, '#ffffff'],
      'circle-stroke-width': ['case', ['>', ['+', ['get', 'overdue'], ['get', 'near']], 0], 3, 2],
    },
  });
  addOrderedLayer(map, {
    id: ids.clusterCount,
    type: 'symbol',
    ...layer,
    filter: isCluster,
    layout: {
      'text-field': clusterLabel(glyph),
      'text-font': FONT_BOLD,
      'text-size': 12,
      'text-allow-overlap': true,
      'text-ignore-placement': true,
    },
    paint: { 'text-color': '#ffffff', 'text-translate': CLUSTER_OFFSET_PX[kind] },
  });
  addOrderedLayer(map, {
    id: ids.point,
    type: 'circle',
    ...layer,
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
    ...layer,
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

/** Points a case source at new tiles (new filters, or a new revision after a change): MapLibre refetches the visible tiles. */
export function setCaseTiles(map: MapLibreMap, kind: CaseKind, tiles: string): void {
  const source = map.getSource<VectorTileSource>(caseLayerIds(kind).source);
  if (source && source.tiles?.[0] !== tiles) source.setTiles([tiles]);
}

/**
 * Makes a halo layer pulse so overdue cases draw the eye: it grows and fades
 * out over a second (a paint transition), then snaps back and rests. The rest
 * lets the map settle (`idle`) between pulses. Returns a function that stops it.
 *
 * It pulses only while an overdue halo is drawn in the view, and never when
 * the system asks for reduced motion: each pulse repaints the whole map for a
 * second, which on a phone or field tablet costs battery for nothing when no
 * overdue case is on screen (measured in software WebGL: ~0.5 CPU-s per second
 * of an idle map page).
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
  const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  /** Whether a halo of this layer is drawn in the current view. */
  const haloInView = () => map.getLayer(layerId) !== undefined && map.queryRenderedFeatures({ layers: [layerId] }).length > 0;
  /** Waits without repainting until a halo comes into view, then grows it. */
  const next = () => {
    timer = setTimeout(() => (haloInView() ? grow() : next()), REST_MS);
  };
  const rest = () => {
    if (!set(small, 0.5, 0)) return;
    if (testPulseOff() || reducedMotion) return;
    next();
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
