import type { Geometry } from 'geojson';

/**
 * Shapes of the analytics answers (风险一张图): risk scores, their explanation,
 * changes between two windows, the scoring settings, bins and dispute clusters.
 * They mirror `server/routes/analytics/*.ts`.
 */

/** Four-colour risk grade (四色): blue (low) < yellow < orange < red. */
export type RiskColour = 'blue' | 'yellow' | 'orange' | 'red';

/** Level of a risk map: `grid` = base grid (基础网格). */
export type RiskLevel = 'grid' | 'village';

/** Parts of a score, each already weighted. */
export interface RiskBreakdown {
  hazards: number;
  disputes: number;
  keyPersons: number;
  overdue: number;
}

/** Counts behind a score (key persons as a count only). */
export interface RiskCounts {
  openHazards: number;
  activeDisputes: number;
  /** Null = fewer than k (counts-only roles); otherwise exact or rounded to a multiple of k. */
  keyPersons: number | null;
  overdue: number;
}

/** Identity of an area in analytics answers. */
export interface AreaRef {
  id: number;
  level: string;
  code: string;
  name: string;
  nameEn: string | null;
}

/** A half-open window `[from, to)` as answered. */
export interface RiskWindow {
  from: string | null;
  to: string;
}

/** Properties of one area of the risk map. */
export interface RiskProperties {
  level: string;
  code: string;
  name: string;
  nameEn: string | null;
  parentId: number | null;
  score: number;
  colour: RiskColour;
  breakdown: RiskBreakdown;
  counts: RiskCounts;
}

/** A GeoJSON FeatureCollection whose features carry `P`. */
export interface AnalyticsCollection<P> {
  type: 'FeatureCollection';
  features: { type: 'Feature'; id: number | string; geometry: Geometry; properties: P }[];
}

/** `GET /api/analytics/risk`. */
export type RiskCollection = AnalyticsCollection<RiskProperties> & { level: string; window: RiskWindow };

/** One case behind a score. */
export interface ExplainedCase {
  id: number;
  kind: 'hazard' | 'dispute';
  category: string;
  status: string;
  grade: string;
  reportedAt: string;
  overdue: boolean;
  weight: number;
  decay: number;
  overduePenalty: number;
  contribution: number;
}

/** Key persons of one management colour: a count, never identities. */
export interface KeyPersonPart {
  /** Null = fewer than k (counts-only roles). */
  count: number | null;
  weight: number;
  contribution: number;
}

/** The scoring settings with the formula spelled out. */
export interface RiskSettings {
  hazardWeights: { low: number; medium: number; high: number; critical: number };
  disputeWeights: { general: number; complex: number; major: number };
  halfLifeDays: number;
  keyPersonWeights: { red: number; orange: number; yellow: number; green: number };
  overduePenalty: number;
  thresholds: { yellow: number; orange: number; red: number };
  formula: { zh: string; en: string };
  colours: RiskColour[];
  updatedAt: string;
  updatedBy: number | null;
}

/** `GET /api/analytics/risk/{areaId}/explain`. */
export interface RiskExplanation {
  area: AreaRef;
  window: RiskWindow;
  score: number;
  colour: RiskColour;
  breakdown: RiskBreakdown;
  counts: RiskCounts;
  settings: RiskSettings;
  cases: ExplainedCase[];
  keyPersons: Record<'red' | 'orange' | 'yellow' | 'green', KeyPersonPart>;
}

/** One area of `GET /api/analytics/risk/change`. */
export interface RiskChangeArea {
  area: AreaRef;
  score: number;
  colour: RiskColour;
  compareScore: number;
  compareColour: RiskColour;
  delta: number;
}

/** `GET /api/analytics/risk/change`: largest rise first. */
export interface RiskChange {
  level: string;
  window: RiskWindow;
  compareWindow: RiskWindow;
  areas: RiskChangeArea[];
}

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

/** One case of a bin (`GET /api/analytics/bins/cases`). */
export interface BinCase {
  id: number;
  kind: 'hazard' | 'dispute';
  category: string;
  status: string;
  grade: string;
  reportedAt: string;
  lon: number;
  lat: number;
  villageId: number;
}

/** `GET /api/analytics/bins/cases`. */
export interface BinCases {
  cell: string;
  window: RiskWindow;
  cases: BinCase[];
}

/** A dispute of a joint case. */
export interface JointCaseDispute {
  id: number;
  category: string;
  status: string;
  reportedAt: string;
}

/** A joint mediation case (联调) as listed by `GET /api/analytics/joint-cases`. */
export interface JointCase {
  id: number;
  title: string;
  note: string;
  status: 'open' | 'closed';
  openedAt: string;
  openedBy: number;
  openedByName: string;
  closedAt: string | null;
  closedBy: number | null;
  closeReason: string | null;
  caseIds: number[];
  stationKeys: string[];
  disputes: JointCaseDispute[];
}

/** What `POST /api/analytics/dispute-clusters/joint-case` answers. */
export interface OpenedJointCase {
  id: number;
  title: string;
  status: string;
  openedAt: string;
  caseIds: number[];
  stationKeys: string[];
}

/** Properties of one non-empty bin. */
export interface BinProperties {
  cell: string | null;
  i: number | null;
  j: number | null;
  areaId: number | null;
  name: string | null;
  count: number;
  /** Key persons only: counts per management colour. */
  byColour?: Record<'red' | 'orange' | 'yellow' | 'green', number | null> | null;
}

/** `GET /api/analytics/bins`. */
export type BinCollection = AnalyticsCollection<BinProperties> & { total: number };

/** A village as referenced by clusters and arcs. */
export interface VillageRef {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
}

/** Properties of one dispute cluster hull. */
export interface ClusterProperties {
  memberIds: number[];
  size: number;
  firstReportedAt: string;
  lastReportedAt: string;
  villages: VillageRef[];
  partyVillages: VillageRef[];
  crossVillage: boolean;
  crossVillageBy: ('location' | 'parties')[];
}

/** `GET /api/analytics/dispute-clusters`: largest first. */
export type ClusterCollection = AnalyticsCollection<ClusterProperties>;

/** One pair of home villages of cross-village disputes. */
export interface DisputeArc {
  source: VillageRef & { lon: number; lat: number };
  target: VillageRef & { lon: number; lat: number };
  count: number;
  caseIds: number[];
}

/** `GET /api/analytics/dispute-arcs`. */
export interface DisputeArcs {
  window: RiskWindow;
  arcs: DisputeArc[];
}
