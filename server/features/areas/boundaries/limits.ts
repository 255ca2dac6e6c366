/**
 * Tolerances and limits of boundary editing.
 *
 * Areas are measured on the ellipsoid (`geometry::geography`), so tolerances
 * are true square metres whatever the latitude.
 */

/** Overlap, spill-over outside the parent and gaps up to this many m² are ignored. */
export const DEFAULT_TOLERANCE_M2 = 1

/** Largest tolerance a validation request may ask for. */
export const MAX_TOLERANCE_M2 = 10_000

/** A vertex may lie this far (metres) outside the town polygon before it counts as outside the township. */
export const TOWN_MARGIN_M = 1

/**
 * Precision grid (degrees, about 0.1 mm) of the overlays (difference,
 * intersection, union) of the topology checks. With a grid, GEOS runs its
 * snap-rounding overlay, which never fails; without one it may hit a
 * TopologyException on nearly coincident rings and retry, and in PGlite's
 * WebAssembly PostGIS that path silently loses the statement's rows (e.g.
 * `ST_Difference` of a triangle and the same triangle with its ring rotated
 * answers no row at all), so validation would pass overlapping grids.
 */
export const OVERLAY_GRID_DEG = 1e-9

/** Most vertices one geometry may have. */
export const MAX_VERTICES = 20_000

/** Interior angles below this (degrees) are spikes. */
export const SPIKE_ANGLE_DEG = 1

/** Largest JSON body of a boundary route (20,000 vertices of a few grids). */
export const BOUNDARY_BODY_LIMIT_BYTES = 8 * 1024 * 1024

/** Change reason written on versions that only renumber a grid. */
export const CODE_REASSIGNMENT_REASON = 'code reassignment'
