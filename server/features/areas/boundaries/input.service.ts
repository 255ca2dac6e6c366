import type { Db } from '../../../core/db/database.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { message, type Lang } from '../../../core/i18n/messages.ts'
import { SPIKE_ANGLE_DEG, TOWN_MARGIN_M } from './limits.ts'
import { parsePolygonInput } from './polygon-input.ts'
import { checkSpikes } from './ring-spike.ts'
import { findGeometryDefect, findVertexOutsideTown } from './boundaries.repository.ts'

/** A problem the client can highlight on the map. */
export interface BoundaryProblem {
  kind: 'invalid' | 'spike' | 'outside_township' | 'outside_parent' | 'overlap' | 'child_outside' | 'child_split' | 'gap'
  message: string
  /** The area the problem is about (negative: an area the save would create). */
  areaId?: number
  /** The other area involved (the sibling overlapped, the parent left). */
  otherId?: number
  areaM2?: number
  /** Where: the offending part or point, GeoJSON. */
  geometry: unknown
}

/** An input geometry that passed the checks of {@link checkGeometryInput}. */
export interface CheckedGeometry {
  /** Normalised MultiPolygon, GeoJSON text. */
  geojson: string
  /** What was normalised (`multi`, `winding`). */
  normalised: string[]
  /** A spike found (a 422 problem, not a 400): the geometry is valid but not acceptable as a boundary. */
  spike?: BoundaryProblem
}

/**
 * Input hygiene of one boundary geometry, answered with 400 and a
 * `problems` list when it fails: the GeoJSON structure (see
 * `parsePolygonInput`), OGC validity (`ST_IsValidDetail`: self-intersections,
 * bad holes…, with the place of the defect), and every vertex within
 * {@link TOWN_MARGIN_M} m of the town polygon. Spikes are returned as a
 * problem for the caller to report with the topology problems (422).
 */
export async function checkGeometryInput(db: Db, input: unknown, lang: Lang, areaId?: number): Promise<CheckedGeometry> {
  const parsed = parsePolygonInput(input)
  if (!parsed.valid) {
    const text = message(parsed.reason, lang, parsed.params)
    throw new HttpError(400, 'bad_geometry', { detail: text }, { reason: parsed.reason, problems: [{ kind: 'invalid', message: text, areaId, geometry: null }] })
  }
  const geojson = JSON.stringify(parsed.geometry)
  const defect = await findGeometryDefect(db, geojson)
  if (!defect.valid) {
    const text = message('geometry_invalid', lang, { reason: defect.reason })
    throw new HttpError(400, 'bad_geometry', { detail: text }, {
      reason: 'geometry_invalid',
      problems: [{ kind: 'invalid', message: text, areaId, geometry: defect.location ? JSON.parse(defect.location) : null }],
    })
  }
  const outside = await findVertexOutsideTown(db, geojson, TOWN_MARGIN_M)
  if (outside) {
    const text = message('geometry_outside_township', lang, { lon: outside[0], lat: outside[1] })
    throw new HttpError(400, 'bad_geometry', { detail: text }, {
      reason: 'geometry_outside_township',
      problems: [{ kind: 'outside_township', message: text, areaId, geometry: { type: 'Point', coordinates: outside } }],
    })
  }
  const spikes = checkSpikes(parsed.geometry.coordinates)
  const spike: BoundaryProblem | undefined = spikes.valid
    ? undefined
    : {
        kind: 'spike',
        message: message('problem_spike', lang, { angle: spikes.angleDeg.toFixed(3), limit: SPIKE_ANGLE_DEG }),
        areaId,
        geometry: { type: 'Point', coordinates: spikes.at },
      }
  return { geojson, normalised: parsed.normalised, spike }
}
