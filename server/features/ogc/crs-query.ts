import { Type } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { bboxAxes, contentCrs, CRS84, CRS84_URI, resolveCrs, SUPPORTED_CRS_URIS, type CrsDefinition } from '../../core/ogc/crs.ts'
import { bboxToLonLat, reprojectFeatures, reprojectFeaturesJson, type GeoJsonPolygon } from '../../core/ogc/reproject.ts'
import type { Bbox } from '../../core/postgis/envelope.ts'

/** The `crs` and `bbox-crs` query parameters of the items routes (OGC API – Features Part 2). */
export const CrsQuery = {
  crs: Type.Optional(
    Type.String({
      maxLength: 200,
      description: `CRS of the answer's coordinates, in its axis order (default ${CRS84_URI}). One of: ${SUPPORTED_CRS_URIS.join(', ')}`,
    }),
  ),
  'bbox-crs': Type.Optional(
    Type.String({
      maxLength: 200,
      description: `CRS of the bbox numbers, in its axis order (default ${CRS84_URI}). One of: ${SUPPORTED_CRS_URIS.join(', ')}`,
    }),
  ),
}

/** How an items or item answer is written in the requested CRS. */
export interface OutputCrs {
  /** Value of the `Content-Crs` header. */
  contentCrs: string
  /** The collection's CRS84 Feature text(s), comma-joined, in the requested CRS. */
  output(featuresJson: string): Promise<string>
}

/**
 * The output CRS of an items request, and its bbox in lon/lat when it came in
 * `bbox-crs` (a bbox without `bbox-crs` is CRS84 and parsed by the route as
 * before). 400 for an unsupported CRS or a bbox invalid in its CRS.
 */
export async function crsOfItems(
  db: Db,
  query: { crs?: string; bbox?: string; 'bbox-crs'?: string },
): Promise<Pick<OutputCrs, 'contentCrs'> & { crs: CrsDefinition; bbox?: Bbox; bboxPolygon?: GeoJsonPolygon; outputParts(parts: string[]): Promise<string[]> }> {
  const crs = resolveCrs(query.crs, 'crs')
  const bboxCrs = query['bbox-crs'] === undefined ? undefined : resolveCrs(query['bbox-crs'], 'bbox-crs')
  let bbox: Bbox | undefined
  let bboxPolygon: GeoJsonPolygon | undefined
  if (bboxCrs && query.bbox === undefined) throw new HttpError(400, 'bbox_crs_without_bbox')
  if (bboxCrs && query.bbox !== undefined) {
    const parsed = await bboxToLonLat(db, query.bbox, bboxCrs)
    if (!parsed.valid) throw new HttpError(400, 'bad_crs_bbox', { crs: bboxCrs.uri, reason: parsed.reason, axes: bboxAxes(bboxCrs) })
    bbox = parsed.bbox
    bboxPolygon = parsed.polygon
  }
  return {
    crs,
    contentCrs: contentCrs(crs),
    bbox,
    bboxPolygon,
    // For a collection that does not render the CRS itself (CollectionProvider.rendersCrs). Parts stay
    // parts in CRS84 (see FeaturePage.featureParts); another CRS rewrites every geometry anyway.
    outputParts: async (parts) => (crs === CRS84 || parts.length === 0 ? parts : [await reprojectFeaturesJson(db, parts.join(','), crs)]),
  }
}

/** The output CRS of a single-feature request (400 for an unsupported one). */
export function crsOfItem(db: Db, crsText: string | undefined): OutputCrs {
  const crs = resolveCrs(crsText, 'crs')
  return { contentCrs: contentCrs(crs), output: async (featureText) => (await reprojectFeatures(db, [featureText], crs))[0] }
}
