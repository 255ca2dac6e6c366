/** Largest import file (bytes); larger uploads answer 413. */
export const IMPORT_LIMIT_BYTES = 32 * 1024 * 1024

/** Most features one import may hold. */
export const IMPORT_MAX_FEATURES = 20_000

/** Features checked per SQL round trip (and per progress step). */
export const IMPORT_CHUNK_FEATURES = 250

/**
 * An imported geometry counts as unchanged when no vertex of it or of the
 * current geometry is farther than this (degrees, ≈1 cm) from the other
 * (Hausdorff distance): export precision and coordinate conversions are not edits.
 */
export const UNCHANGED_HAUSDORFF_DEG = 1e-7

/** Finished import jobs are kept this long for the client to read the report. */
export const IMPORT_JOB_TTL_MS = 60 * 60 * 1000

/** How often an import re-plans after refusing the features whose problems it found. */
export const IMPORT_MAX_PASSES = 6
