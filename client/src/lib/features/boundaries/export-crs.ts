/**
 * Coordinate systems an export can be written in, keyed for the dialog, with
 * the OGC URI the server takes as `crs` (the server's list: server/core/ogc/crs.ts;
 * CRS84 is the default and sends no parameter).
 */
export const EXPORT_CRS = {
  wgs84: undefined,
  cgcs2000: 'http://www.opengis.net/def/crs/EPSG/0/4490',
  gk99: 'http://www.opengis.net/def/crs/EPSG/0/4542',
} as const satisfies Record<string, string | undefined>;

/** A key of {@link EXPORT_CRS}. */
export type ExportCrs = keyof typeof EXPORT_CRS;
