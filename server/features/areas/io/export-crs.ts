import { Type } from 'typebox'
import type { Db } from '../../../core/db/database.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { CRS84, CRS84_URI, resolveCrs, SUPPORTED_CRS_URIS } from '../../../core/ogc/crs.ts'
import { EDIT_GEOJSON_DIGITS } from '../../../core/postgis/geojson.ts'
import type { ExportFormat } from './export-format.ts'
import { findCrsWkt } from './io.repository.ts'

/** The `crs` query parameter of the boundary exports: the OGC API's CRS URIs. */
export const ExportCrsQuery = Type.Object(
  {
    crs: Type.Optional(
      Type.String({ maxLength: 200, description: `CRS of the file's coordinates (default ${CRS84_URI}, WGS84). One of: ${SUPPORTED_CRS_URIS.join(', ')}` }),
    ),
  },
  { additionalProperties: false },
)

/** How an export in another CRS than WGS 84 is written. */
export interface ExportCrs {
  /** SRID and decimals of the geometries. */
  output: { srid: number; digits: number }
  /** The GeoJSON `crs` member name. */
  urn: string
  /** The Shapefile's .prj. */
  prjWkt: string
  /** Added to the file name, e.g. `EPSG4542`. */
  fileSuffix: string
}

/**
 * The export CRS named by `crs`, or undefined for WGS 84 (CRS84, or
 * EPSG:4326: files keep longitude first either way, so both are the
 * unchanged WGS 84 export). Decimals: 9 for degrees (about 0.1 mm, as the
 * WGS 84 export), 4 for metres (0.1 mm). KML is WGS 84 by definition, so
 * another CRS is refused for it (400). 400 for an unsupported CRS.
 */
export async function exportCrsOf(db: Db, format: ExportFormat, uri: string | undefined): Promise<ExportCrs | undefined> {
  const crs = resolveCrs(uri, 'crs')
  if (crs === CRS84 || crs.srid === CRS84.srid) return undefined
  if (format === 'kml') throw new HttpError(400, 'export_crs_kml')
  const prjWkt = await findCrsWkt(db, crs.srid)
  if (!prjWkt) throw new HttpError(400, 'unsupported_crs', { crs: uri, parameter: 'crs', supported: SUPPORTED_CRS_URIS.join(', ') })
  const metres = crs.axisOrder === 'north-east'
  return {
    output: { srid: crs.srid, digits: metres ? 4 : EDIT_GEOJSON_DIGITS },
    urn: crs.urn,
    prjWkt,
    fileSuffix: `EPSG${crs.srid}`,
  }
}
