import type { AddLayerObject, ExpressionSpecification } from 'maplibre-gl';
import type { AreaLayerKey } from '../api/types';
import { labelSourceId } from './area-source';
import { COLORS, FONT_BOLD, FONT_REGULAR, KIND_COLORS, nameField, villageColor, whenState } from './theme';
import { MIN_ZOOM } from './view.svelte';

/**
 * How each area level (town, villages, base grids, fine grids) is drawn: the
 * MapLibre layers of its polygon source (source id = the level's key) and,
 * when it has names, one `symbol` layer on its label-point source
 * (`<key>-labels`, see `area-source.ts`). `AreaLevelLayer.svelte` adds these
 * layers in the order of `layer-order.ts` and keeps them up to date.
 */
export interface AreaLevelStyle {
  /** Every layer of the level (fill, lines, label). */
  layers: AddLayerObject[];
  /** Id of the label layer whose `text-field` follows the language, if any. */
  labelLayer: string | null;
}

const hover = whenState('hover');

function town(): AreaLevelStyle {
  const source = 'town';
  return {
    labelLayer: null,
    layers: [
      {
        // Invisible fill, so that a click inside the town but outside every village (lake water) still selects the town.
        id: 'town-fill',
        type: 'fill',
        source,
        paint: { 'fill-color': COLORS.hover, 'fill-opacity': ['case', hover, 0.06, 0] },
      },
      {
        id: 'town-halo',
        type: 'line',
        source,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': COLORS.townHalo, 'line-opacity': 0.85, 'line-width': ['interpolate', ['linear'], ['zoom'], 10, 4, 15, 8] },
      },
      {
        id: 'town-line',
        type: 'line',
        source,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLORS.town,
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, 1.6, 15, 3],
          'line-dasharray': [6, 2, 1, 2],
        },
      },
    ],
  };
}

function villages(): AreaLevelStyle {
  const source = 'villages';
  return {
    labelLayer: 'villages-label',
    layers: [
      {
        id: 'villages-fill',
        type: 'fill',
        source,
        paint: {
          'fill-color': villageColor(),
          'fill-opacity': ['interpolate', ['linear'], ['zoom'], 11, ['case', hover, 0.42, 0.22], 14, ['case', hover, 0.3, 0.1], 16, ['case', hover, 0.2, 0.04]],
        },
      },
      {
        id: 'villages-line',
        type: 'line',
        source,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLORS.village,
          'line-width': ['interpolate', ['linear'], ['zoom'], 10, ['case', hover, 2.4, 1.2], 13, ['case', hover, 3.2, 2], 16, ['case', hover, 4.4, 3.2]],
          'line-opacity': 0.9,
        },
      },
      {
        id: 'villages-label',
        type: 'symbol',
        source: labelSourceId(source),
        layout: {
          'text-field': nameField('zh'),
          'text-font': FONT_BOLD,
          'text-size': ['interpolate', ['linear'], ['zoom'], 10, 11.5, 12, 13.5, 15, 16],
          'text-max-width': 9,
          'text-letter-spacing': 0.08,
          'text-padding': 2,
        },
        paint: {
          'text-color': COLORS.villageLabel,
          'text-halo-color': 'rgba(255,255,255,0.92)',
          'text-halo-width': 1.8,
          'text-halo-blur': 0.4,
        },
      },
    ],
  };
}

function baseGrids(): AreaLevelStyle {
  const source = 'base-grids';
  const min = MIN_ZOOM[source];
  return {
    labelLayer: 'base-grids-label',
    layers: [
      {
        id: 'base-grids-fill',
        type: 'fill',
        source,
        minzoom: min,
        paint: { 'fill-color': COLORS.hover, 'fill-opacity': ['case', hover, 0.14, 0] },
      },
      {
        id: 'base-grids-line',
        type: 'line',
        source,
        minzoom: min,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': COLORS.baseGrid,
          'line-width': ['interpolate', ['linear'], ['zoom'], min, 1, 14, 1.6, 16, 2.3],
          'line-dasharray': [4, 2.5],
          'line-opacity': ['interpolate', ['linear'], ['zoom'], min, 0.35, min + 0.6, 0.9],
        },
      },
      {
        id: 'base-grids-label',
        type: 'symbol',
        source: labelSourceId(source),
        minzoom: 13,
        layout: {
          'text-field': nameField('zh'),
          'text-font': FONT_REGULAR,
          'text-size': ['interpolate', ['linear'], ['zoom'], 13, 11, 17, 13],
          'text-max-width': 8,
        },
        paint: { 'text-color': '#34506e', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.5 },
      },
    ],
  };
}

/** Dedicated grids (专属网格: school, market, scenic area, enterprise) get a tint per kind. */
function fineGrids(): AreaLevelStyle {
  const source = 'fine-grids';
  const min = MIN_ZOOM[source];
  const dedicated: ExpressionSpecification = ['!=', ['get', 'kind'], 'standard'];
  const kindColor: ExpressionSpecification = [
    'match',
    ['get', 'kind'],
    'school',
    KIND_COLORS.school,
    'market',
    KIND_COLORS.market,
    'scenic',
    KIND_COLORS.scenic,
    'enterprise',
    KIND_COLORS.enterprise,
    COLORS.hover,
  ];
  return {
    labelLayer: 'fine-grids-label',
    layers: [
      {
        id: 'fine-grids-fill',
        type: 'fill',
        source,
        minzoom: min,
        paint: {
          'fill-color': kindColor,
          'fill-opacity': ['case', dedicated, ['case', hover, 0.4, 0.22], ['case', hover, 0.1, 0]],
        },
      },
      {
        id: 'fine-grids-line',
        type: 'line',
        source,
        minzoom: min,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': ['case', dedicated, kindColor, COLORS.fineGrid],
          'line-width': ['interpolate', ['linear'], ['zoom'], min, 0.5, 17, 1.3],
          'line-opacity': ['interpolate', ['linear'], ['zoom'], min, 0.3, min + 0.6, 0.9],
        },
      },
      {
        id: 'fine-grids-label',
        type: 'symbol',
        source: labelSourceId(source),
        minzoom: 14.5,
        layout: {
          'text-field': nameField('zh'),
          'text-font': FONT_REGULAR,
          'text-size': ['interpolate', ['linear'], ['zoom'], 14.5, 10, 18, 12.5],
          'text-max-width': 10,
        },
        paint: { 'text-color': '#4d6178', 'text-halo-color': 'rgba(255,255,255,0.9)', 'text-halo-width': 1.3 },
      },
    ],
  };
}

/** The style of each area level, by layer key (which is also its source id). */
export const AREA_LEVEL_STYLES: Record<AreaLayerKey, () => AreaLevelStyle> = {
  town,
  villages,
  'base-grids': baseGrids,
  'fine-grids': fineGrids,
};
