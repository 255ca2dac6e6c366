import type { AreaLayerKey, AreaLevel } from '../api/types';

/*
 * Area levels and the OGC collections (and map sources) they are drawn from.
 */

/** Accepts `base-grid`, `baseGrid` or `base_grid` spellings of a level. */
export function normaliseLevel(raw: string): AreaLevel {
  const level = raw.replace(/-/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (level === 'village' || level === 'base_grid' || level === 'fine_grid') return level;
  return 'town';
}

/** The collection (and map source) an area of a level is drawn from. */
export const LAYER_OF_LEVEL: Record<AreaLevel, AreaLayerKey> = {
  town: 'town',
  village: 'villages',
  base_grid: 'base-grids',
  fine_grid: 'fine-grids',
};
