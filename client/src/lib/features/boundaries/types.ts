import type { Feature, Geometry, LineString, MultiPolygon, Polygon } from 'geojson';
import type {
  AreaEdit as AreaEditDto,
  BoundaryProblem as BoundaryProblemDto,
  BoundaryResult as BoundaryResultDto,
  ImpactRequestBody,
  ImpactResult,
} from '../../../../../server/features/areas/boundaries/boundaries.schemas.ts';

/*
 * The API contract of the boundary editor: types of the server's TypeBox schemas (`Static<>`),
 * imported as types only. The schemas leave geometries `unknown` (the server's input hygiene
 * checks their shape), so the types below narrow them to the GeoJSON the client draws and sends.
 */
export type { AreaFigures, ImpactAreaRef, WorkerLoad, WrittenArea } from '../../../../../server/features/areas/boundaries/boundaries.schemas.ts';

/** A rule a proposed boundary breaks (or a gap it leaves); `geometry` is GeoJSON (where on the map) or null. */
export type BoundaryProblem = Omit<BoundaryProblemDto, 'geometry'> & { geometry: Geometry | null };

/** Problems and warnings with {@link BoundaryProblem}'s geometry. */
type WithProblems<T> = Omit<T, 'problems' | 'warnings'> & { problems: BoundaryProblem[]; warnings: BoundaryProblem[] };

/** Outcome of validation and of every save route. */
export type BoundaryResult = WithProblems<BoundaryResultDto>;

/** `POST /api/boundaries/impact` answer. */
export type BoundaryImpact = WithProblems<ImpactResult>;

/** One area's new geometry in a validation, batch or impact request (the client sends Polygons and MultiPolygons). */
export type AreaEdit = Omit<AreaEditDto, 'geometry'> & { geometry?: Polygon | MultiPolygon };

/** What the impact preview is asked about: exactly one of the three (the schema makes each optional). */
export type ImpactRequest =
  | { edit: { areas: AreaEdit[] } }
  | { split: { areaId: number; line: LineString } }
  | { merge: NonNullable<ImpactRequestBody['merge']> };

/** The body of a 412 answer: the area as it is now (members the error body adds; no schema). */
export interface StaleBody {
  areaId?: number;
  currentVersion?: number;
  current?: Feature<Polygon | MultiPolygon> | null;
}
