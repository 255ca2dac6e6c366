import type { ExpressionSpecification } from 'maplibre-gl';
import type { RiskColour } from './types';

/** Paint of the four risk colours (四色). */
export const RISK_COLORS: Record<RiskColour, string> = {
  blue: '#3b82f6',
  yellow: '#facc15',
  orange: '#f97316',
  red: '#dc2626',
};

/** The four colours, lowest first. */
export const RISK_ORDER: readonly RiskColour[] = ['blue', 'yellow', 'orange', 'red'];

/** Colour of a rise and a fall of the score in change mode. */
export const CHANGE_COLORS = { rise: '#dc2626', fall: '#16a34a', flat: '#e5e7eb' } as const;

/** Fill colour from the API's `colour` property. */
export function riskFillColor(): ExpressionSpecification {
  return ['match', ['get', 'colour'], 'red', RISK_COLORS.red, 'orange', RISK_COLORS.orange, 'yellow', RISK_COLORS.yellow, RISK_COLORS.blue];
}

/** Fill colour from the `delta` property: greens for a fall, reds for a rise. */
export function changeFillColor(): ExpressionSpecification {
  return [
    'interpolate',
    ['linear'],
    ['get', 'delta'],
    -20,
    '#166534',
    -0.01,
    '#86efac',
    0,
    CHANGE_COLORS.flat,
    0.01,
    '#fca5a5',
    20,
    '#991b1b',
  ];
}

/** Fill colour of a hex bin from its `count`. */
export function binFillColor(max: number): ExpressionSpecification {
  const top = Math.max(max, 2);
  return ['interpolate', ['linear'], ['get', 'count'], 1, '#fde68a', Math.max(top / 2, 1.5), '#f97316', top, '#7f1d1d'];
}
