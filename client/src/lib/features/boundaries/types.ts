import type { Feature, FeatureCollection, Geometry, LineString, MultiPolygon, Polygon } from 'geojson';

/** A rule a proposed boundary breaks (or, for warnings, a gap it leaves). */
export interface BoundaryProblem {
  /** e.g. `overlap`, `outside_parent`, `child_outside`, `gap`, `spike`, or an input-hygiene reason. */
  kind: string;
  /** Explanation in the request language. */
  message: string;
  areaId?: number;
  otherId?: number;
  areaM2?: number;
  /** Where on the map, when known. */
  geometry: Geometry | null;
}

/** One area's new geometry in a validation, batch or impact request. */
export interface AreaEdit {
  areaId: number;
  /** The version (ETag) the edit starts from. */
  ifMatch?: number;
  geometry?: Polygon | MultiPolygon;
}

/** An area written (or, in a validation, that would be written). */
export interface WrittenArea {
  id: number;
  code: string;
  version: number;
  action: string;
  level: string;
  name: string;
}

/** Outcome of validation and of every save route. */
export interface BoundaryResult {
  valid: boolean;
  changeId: number | null;
  problems: BoundaryProblem[];
  warnings: BoundaryProblem[];
  areas: WrittenArea[];
  retired: Array<{ id: number; code: string; version: number }>;
  normalised: Record<string, string[]>;
}

/** Households and population, or `null` when the area does not exist on that side. */
export type AreaFigures = { households: number; population: number } | null;

/** A short reference in the impact preview. */
export interface ImpactAreaRef {
  id: number;
  code: string | null;
  name: string | null;
}

/** A worker's load (open cases + key persons). */
export interface WorkerLoad {
  openCases: number;
  keyPersons: number;
  total: number;
}

/** `POST /api/boundaries/impact` answer. */
export interface BoundaryImpact {
  valid: boolean;
  problems: BoundaryProblem[];
  warnings: BoundaryProblem[];
  areas: Array<{ id: number; code: string | null; name: string | null; level: string; action: string; before: AreaFigures; after: AreaFigures }>;
  cases: Array<{ level: string; from: ImpactAreaRef | null; to: ImpactAreaRef | null; count: number; caseIds: number[] }>;
  keyPersons: Array<{ level: string; from: ImpactAreaRef | null; to: ImpactAreaRef | null; count: number }>;
  workers: Array<{ kind: 'staff' | 'user'; id: number; name: string; areaIds: number[]; before: WorkerLoad; after: WorkerLoad }>;
  changes: FeatureCollection;
}

/** What the impact preview is asked about: exactly one of the three. */
export type ImpactRequest =
  | { edit: { areas: AreaEdit[] } }
  | { split: { areaId: number; line: LineString } }
  | { merge: { areaIds: number[] } };

/** The body of a 412 answer: the area as it is now. */
export interface StaleBody {
  areaId?: number;
  currentVersion?: number;
  current?: Feature<Polygon | MultiPolygon> | null;
}
