import type { Geometry } from 'geojson';
import type { CaseKind } from '../../../../../server/features/cases/cases.schemas.ts';
import type {
  BinCases as BinCasesDto,
  BinCollection as BinCollectionDto,
  ClusterCollection as ClusterCollectionDto,
  RiskCollection as RiskCollectionDto,
  RiskLevel as RiskLevelDto,
} from '../../../../../server/features/analytics/analytics.schemas.ts';

/*
 * The API contract of the analytics answers (风险一张图): types of the server's TypeBox schemas
 * (`Static<>`), imported as types only. The schemas leave feature geometries open (any GeoJSON
 * geometry object), so the collections below narrow them to GeoJSON `Geometry`.
 */
export type {
  AreaRef,
  BinProperties,
  ClusterProperties,
  DisputeArc,
  DisputeArcs,
  ExplainedCase,
  JointCase,
  JointCaseDispute,
  KeyPersonPart,
  OpenedJointCase,
  RiskBreakdown,
  RiskChange,
  RiskChangeArea,
  RiskColour,
  RiskCounts,
  RiskExplanation,
  RiskProperties,
  RiskScores,
  RiskSettings,
  RiskWindow,
  VillageRef,
} from '../../../../../server/features/analytics/analytics.schemas.ts';

/** A FeatureCollection answer whose features' geometries are GeoJSON geometries. */
type WithGeometry<C extends { features: Array<{ geometry: object }> }> = Omit<C, 'features'> & {
  features: Array<Omit<C['features'][number], 'geometry'> & { geometry: Geometry }>;
};

/** Levels the risk map offers (`grid` = base grid); the API also answers `fine_grid`. */
export type RiskLevel = Extract<RiskLevelDto, 'grid' | 'village' | 'town'>;

/**
 * `GET /api/analytics/bins/cases`. The schema types a case's `kind` as a string; the route lists
 * hazards or disputes only (never key persons), so the client reads it as a {@link CaseKind}.
 */
export type BinCases = Omit<BinCasesDto, 'cases'> & { cases: BinCase[] };
/** One case of a bin. */
export type BinCase = Omit<BinCasesDto['cases'][number], 'kind'> & { kind: CaseKind };

/** `GET /api/analytics/risk` (GeoJSON with outlines; the map uses {@link RiskScores} instead). */
export type RiskCollection = WithGeometry<RiskCollectionDto>;

/** `GET /api/analytics/bins`. */
export type BinCollection = WithGeometry<BinCollectionDto>;

/** `GET /api/analytics/dispute-clusters`: largest first. */
export type ClusterCollection = WithGeometry<ClusterCollectionDto>;

/* Query parameters of the bin routes (declared inline in the routes' querystring schemas). */

/** Layers that can be binned (key persons as counts only, cells of 250, 500 or 1000 m). */
export type BinLayer = 'hazards' | 'disputes' | 'key-persons';

/** Shape of bin cells. */
export type BinShape = 'hex' | 'square';

/** Count per area polygon instead of cells (`grid` = base grid). */
export type BinGroupBy = 'grid' | 'village';

/** How bins are requested. */
export interface BinOptions {
  layer: BinLayer;
  shape: BinShape;
  cellMeters: number;
  groupBy: BinGroupBy | null;
}

/** A town of the county, as `GET /api/towns` lists it. */
export interface Town {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
}
