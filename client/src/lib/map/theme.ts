import type { ExpressionSpecification } from 'maplibre-gl';
import type { Lang } from '../i18n/i18n.svelte';

/**
 * Font stacks for map labels. The style has no `glyphs` URL, so MapLibre draws
 * every glyph locally with TinySDF using these names as a CSS font-family list.
 * A "Bold" in the first name makes MapLibre draw with weight 700.
 */
export const FONT_REGULAR = ['Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];

/** Bold label font stack (see {@link FONT_REGULAR}). */
export const FONT_BOLD = ['Noto Sans CJK SC Bold', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];

/** Map colours, shared by the layers and the legend swatches. */
export const COLORS = {
  land: '#f4f2ec',
  mountain1: '#e7eadb',
  mountain2: '#d9dfc9',
  mountain3: '#cbceb3',
  mountainLabel: '#7d7f62',
  lake: '#b8d3e6',
  lakeEdge: '#93b7d3',
  lakeLabel: '#4a7aa3',
  river: '#9cc2de',
  roadCasing: '#d3cbbb',
  road: '#ffffff',
  mainRoadCasing: '#d9b86a',
  mainRoad: '#fbe6a6',
  roadLabel: '#6d6658',
  settlement: '#8b8272',
  settlementLabel: '#5e5748',
  town: '#2c3e50',
  townHalo: '#ffffff',
  village: '#3d5a80',
  villageLabel: '#1f3550',
  baseGrid: '#5b7896',
  fineGrid: '#8ea3b8',
  hover: '#1c6dd0',
  selection: '#e8590c',
} as const;

/** Gentle fills that tell neighbouring villages apart. */
export const VILLAGE_PALETTE = ['#7fa7c9', '#a3c293', '#d8b384', '#b79cc8', '#8fc1b5', '#d79c9c', '#c4c07e'];

/** A palette colour per village, chosen by feature id so that neighbours (consecutive ids) differ. */
export function villageColor(): ExpressionSpecification {
  const [c0, c1, c2, c3, c4, c5, c6] = VILLAGE_PALETTE;
  const slot: ExpressionSpecification = ['%', ['to-number', ['id'], 0], VILLAGE_PALETTE.length];
  return ['match', slot, 1, c1, 2, c2, 3, c3, 4, c4, 5, c5, 6, c6, c0];
}

/** Fill tint of each dedicated fine-grid kind. */
export const KIND_COLORS = {
  school: '#f2b134',
  market: '#e07a5f',
  scenic: '#58a37d',
  enterprise: '#7b6fb8',
} as const;

/** The label text of an area in the given language (English falls back to Chinese). */
export function nameField(lang: Lang): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'nameEn'], ['get', 'name']] : ['get', 'name'];
}

/** `true` when the feature is in the given feature-state. */
export function whenState(state: 'hover' | 'selected'): ExpressionSpecification {
  return ['boolean', ['feature-state', state], false];
}
