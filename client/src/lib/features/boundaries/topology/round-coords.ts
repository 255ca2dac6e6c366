import type { MultiCoords } from './geometry-types';

/** Decimal places kept (about 0.1 mm), the drawing tool's coordinate precision. */
export const COORDINATE_DECIMALS = 9;

/** A copy of `coords` rounded to {@link COORDINATE_DECIMALS}: equal vertices stay equal. */
export function roundCoords(coords: MultiCoords, decimals = COORDINATE_DECIMALS): MultiCoords {
  const factor = 10 ** decimals;
  return coords.map((polygon) => polygon.map((ring) => ring.map((p) => [Math.round(p[0] * factor) / factor, Math.round(p[1] * factor) / factor])));
}
