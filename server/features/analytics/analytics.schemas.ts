import { Type, type Static, type TSchema } from 'typebox'
import { ProtectedCountSchema, ProtectionNoteSchema } from '../key-persons/index.ts'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** The four risk colours. */
export const RiskColourSchema = Type.Enum(['blue', 'yellow', 'orange', 'red'], {
  description: 'Four-colour risk grading (四色): blue (low) < yellow < orange < red, by the thresholds of GET /api/analytics/settings',
})
export type RiskColour = Static<typeof RiskColourSchema>

/** Level of a risk map: grid = base grid (基础网格). */
export const RiskLevelSchema = Type.Enum(['grid', 'village', 'fine_grid', 'town'], { default: 'grid', description: 'grid = base grid (基础网格); town = the towns of the county side by side' })
export type RiskLevel = Static<typeof RiskLevelSchema>

/** Parts of a score, each already weighted. */
export const BreakdownSchema = Type.Object({
  hazards: Type.Number({ description: 'Σ open hazards × severity weight' }),
  disputes: Type.Number({ description: 'Σ active disputes × tier weight × 0.5^(age days / half-life)' }),
  keyPersons: Type.Number({ description: 'Σ key persons in management × colour weight' }),
  overdue: Type.Number({ description: 'Σ overdue open cases × overdue penalty' }),
})
export type RiskBreakdown = Static<typeof BreakdownSchema>

/** Counts behind a score. */
export const RiskCountsSchema = Type.Object({
  openHazards: Type.Integer(),
  activeDisputes: Type.Integer(),
  keyPersons: Nullable(
    Type.Integer({
      description: 'Key persons in management (a count; never identities). Roles that see counts only: null below k, else rounded to a multiple of k, and the score uses these',
    }),
  ),
  overdue: Type.Integer(),
})
export type RiskCounts = Static<typeof RiskCountsSchema>

/** Identity of an area in analytics answers. */
export const AreaRefSchema = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
})
export type AreaRef = Static<typeof AreaRefSchema>

/** A half-open window as answered. */
export const WindowSchema = Type.Object({ from: Nullable(Type.String()), to: Type.String() }, { description: '[from, to): from inclusive, to exclusive' })
export type RiskWindow = Static<typeof WindowSchema>

/** A GeoJSON FeatureCollection whose features carry `properties`. */
export function featureCollectionSchema<P extends TSchema, M extends Record<string, TSchema> = Record<never, TSchema>>(properties: P, description: string, members: M = {} as M) {
  return Type.Object(
    {
      type: Type.Literal('FeatureCollection'),
      ...members,
      features: Type.Array(
        Type.Object({
          type: Type.Literal('Feature'),
          id: Type.Union([Type.Integer(), Type.String()]),
          geometry: Type.Object({}, { additionalProperties: true, description: 'GeoJSON geometry in CRS84' }),
          properties,
        }),
      ),
    },
    { description: `GeoJSON FeatureCollection (application/geo+json): ${description}` },
  )
}

/** The risk-score settings as read and written. */
export const RiskSettingsBodySchema = Type.Object(
  {
    hazardWeights: Type.Object(
      { low: Type.Number({ minimum: 0, maximum: 1000 }), medium: Type.Number({ minimum: 0, maximum: 1000 }), high: Type.Number({ minimum: 0, maximum: 1000 }), critical: Type.Number({ minimum: 0, maximum: 1000 }) },
      { additionalProperties: false, description: 'Weight of each open hazard by severity' },
    ),
    disputeWeights: Type.Object(
      { general: Type.Number({ minimum: 0, maximum: 1000 }), complex: Type.Number({ minimum: 0, maximum: 1000 }), major: Type.Number({ minimum: 0, maximum: 1000 }) },
      { additionalProperties: false, description: 'Weight of each active dispute by tier, before recency decay' },
    ),
    halfLifeDays: Type.Number({ exclusiveMinimum: 0, maximum: 3650, description: 'A dispute’s weight halves every this many days since it was reported' }),
    keyPersonWeights: Type.Object(
      { red: Type.Number({ minimum: 0, maximum: 1000 }), orange: Type.Number({ minimum: 0, maximum: 1000 }), yellow: Type.Number({ minimum: 0, maximum: 1000 }), green: Type.Number({ minimum: 0, maximum: 1000 }) },
      { additionalProperties: false, description: 'Weight of each key person in management by management colour (四色管理)' },
    ),
    overduePenalty: Type.Number({ minimum: 0, maximum: 1000, description: 'Added once per open case past its deadline' }),
    thresholds: Type.Object(
      { yellow: Type.Number({ exclusiveMinimum: 0 }), orange: Type.Number({ exclusiveMinimum: 0 }), red: Type.Number({ exclusiveMinimum: 0 }) },
      { additionalProperties: false, description: 'Lowest score of each colour; below yellow is blue' },
    ),
  },
  { additionalProperties: false },
)

/** The settings with the formula spelled out, for the "how is this computed" view. */
export const RiskSettingsSchema = Type.Object({
  ...RiskSettingsBodySchema.properties,
  formula: Type.Object({ zh: Type.String(), en: Type.String() }),
  colours: Type.Array(RiskColourSchema),
  updatedAt: Type.String(),
  updatedBy: Nullable(Type.Integer()),
})
export type RiskSettings = Static<typeof RiskSettingsSchema>

/** Properties of one area of the risk map. */
export const RiskPropertiesSchema = Type.Object({
  level: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  score: Type.Number(),
  colour: RiskColourSchema,
  breakdown: BreakdownSchema,
  counts: RiskCountsSchema,
})
export type RiskProperties = Static<typeof RiskPropertiesSchema>

/** `GET /api/analytics/risk`: one MultiPolygon per current area. */
export const RiskCollectionSchema = featureCollectionSchema(RiskPropertiesSchema, 'one MultiPolygon per current area', { level: Type.String(), window: WindowSchema })
export type RiskCollection = Static<typeof RiskCollectionSchema>

/**
 * `GET /api/analytics/risk/scores`: the changing values of the risk map by
 * area id, without geometry — the client joins them to the area outlines it
 * already holds (the area layers), so a new window or a write costs a few
 * kilobytes instead of every outline again.
 */
export const RiskScoresSchema = Type.Object(
  {
    level: Type.String(),
    window: WindowSchema,
    areas: Type.Array(
      Type.Object({
        id: Type.Integer({ description: 'Area id: the id of the feature in the area collections and of GET /api/analytics/risk' }),
        score: Type.Number(),
        colour: RiskColourSchema,
        breakdown: BreakdownSchema,
        counts: RiskCountsSchema,
      }),
    ),
  },
  { description: 'Risk score and colour of every current area of the level, by area id (no geometry; ordered by area code)' },
)
export type RiskScores = Static<typeof RiskScoresSchema>

/** One case behind a score. */
export const ExplainedCaseSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['hazard', 'dispute']),
  category: Type.String(),
  status: Type.String({ description: 'Current status' }),
  grade: Type.String({ description: 'Severity (hazard) or tier (dispute)' }),
  reportedAt: Type.String(),
  overdue: Type.Boolean({ description: 'Past its deadline at the end of the window' }),
  weight: Type.Number(),
  decay: Type.Number({ description: '0.5^(age days / half-life) for disputes; 1 for hazards' }),
  overduePenalty: Type.Number(),
  contribution: Type.Number({ description: 'weight × decay + overduePenalty' }),
})
export type ExplainedCase = Static<typeof ExplainedCaseSchema>

/** Key persons of one management colour: a count, never identities. */
export const KeyPersonPartSchema = Type.Object({
  count: Type.Union([Type.Integer(), Type.Null()], { description: 'Null = fewer than k (roles that see counts only); otherwise exact or rounded to a multiple of k' }),
  weight: Type.Number(),
  contribution: Type.Number({ description: 'From the count as shown (a suppressed count adds nothing)' }),
})
export type KeyPersonPart = Static<typeof KeyPersonPartSchema>

/** `GET /api/analytics/risk/change`: largest rise first. */
export const RiskChangeSchema = Type.Object({
  level: Type.String(),
  window: WindowSchema,
  compareWindow: WindowSchema,
  areas: Type.Array(
    Type.Object({
      area: AreaRefSchema,
      score: Type.Number(),
      colour: RiskColourSchema,
      compareScore: Type.Number(),
      compareColour: RiskColourSchema,
      delta: Type.Number({ description: 'score − compareScore' }),
    }),
  ),
})
export type RiskChange = Static<typeof RiskChangeSchema>
/** One area of {@link RiskChange}. */
export type RiskChangeArea = RiskChange['areas'][number]

/** `GET /api/analytics/risk/{areaId}/explain`. */
export const RiskExplanationSchema = Type.Object({
  area: AreaRefSchema,
  window: WindowSchema,
  score: Type.Number(),
  colour: RiskColourSchema,
  breakdown: BreakdownSchema,
  counts: RiskCountsSchema,
  settings: RiskSettingsSchema,
  cases: Type.Array(ExplainedCaseSchema, { description: 'Largest contribution first' }),
  keyPersons: Type.Object(
    { red: KeyPersonPartSchema, orange: KeyPersonPartSchema, yellow: KeyPersonPartSchema, green: KeyPersonPartSchema },
    { description: 'Counts by colour; never identities' },
  ),
})
export type RiskExplanation = Static<typeof RiskExplanationSchema>

const ByColourSchema = Type.Object({ red: ProtectedCountSchema, orange: ProtectedCountSchema, yellow: ProtectedCountSchema, green: ProtectedCountSchema })

/** Properties of one non-empty bin. */
export const BinPropertiesSchema = Type.Object({
  cell: Type.Union([Type.String(), Type.Null()], { description: '"i,j" of the cell (null when grouped by area)' }),
  i: Type.Union([Type.Integer(), Type.Null()]),
  j: Type.Union([Type.Integer(), Type.Null()]),
  areaId: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.Union([Type.String(), Type.Null()]),
  count: Type.Integer({ description: 'Key persons for roles that see counts only: rounded to a multiple of k (cells below k are left out)' }),
  byColour: Type.Union([ByColourSchema, Type.Null()], { description: 'Key persons only: counts per management colour (null per colour when below k)' }),
})
export type BinProperties = Static<typeof BinPropertiesSchema>

/** `GET /api/analytics/bins`. */
export const BinCollectionSchema = featureCollectionSchema(BinPropertiesSchema, 'non-empty cells (whole, unclipped Polygons) or areas', {
  layer: Type.String(),
  shape: Type.Union([Type.String(), Type.Null()]),
  cellMeters: Type.Union([Type.Number(), Type.Null()]),
  groupBy: Type.Union([Type.String(), Type.Null()]),
  crs: Type.String({ description: 'CRS the cells are computed in' }),
  window: WindowSchema,
  total: ProtectedCountSchema,
  protection: ProtectionNoteSchema,
})
export type BinCollection = Static<typeof BinCollectionSchema>

/** `GET /api/analytics/bins/cases`. */
export const BinCasesSchema = Type.Object({
  cell: Type.String(),
  window: WindowSchema,
  cases: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kind: Type.String(),
      category: Type.String(),
      status: Type.String(),
      grade: Type.String(),
      reportedAt: Type.String(),
      lon: Type.Number(),
      lat: Type.Number(),
      villageId: Type.Integer(),
    }),
  ),
})
export type BinCases = Static<typeof BinCasesSchema>
/** One case of a bin. */
export type BinCase = BinCases['cases'][number]

/** A village as referenced by clusters and arcs. */
export const VillageSchema = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) })
export type VillageRef = Static<typeof VillageSchema>
const VillagePointSchema = Type.Object({ ...VillageSchema.properties, lon: Type.Number(), lat: Type.Number() })

/** Properties of one dispute cluster hull. */
export const ClusterPropertiesSchema = Type.Object({
  memberIds: Type.Array(Type.Integer(), { description: 'Dispute ids, ascending' }),
  size: Type.Integer(),
  firstReportedAt: Type.String(),
  lastReportedAt: Type.String(),
  villages: Type.Array(VillageSchema, { description: 'Villages the members are located in (recorded at registration)' }),
  partyVillages: Type.Array(VillageSchema, { description: 'Home villages of the members’ parties' }),
  crossVillage: Type.Boolean({ description: 'Members located in ≥ 2 villages, or parties from ≥ 2 villages' }),
  crossVillageBy: Type.Array(Type.Enum(['location', 'parties'])),
  towns: Type.Array(VillageSchema, { description: 'Towns of the members’ villages and of the parties’ home villages, by code' }),
  crossTown: Type.Boolean({ description: 'Spans a town border: members located in ≥ 2 towns, or parties from ≥ 2 towns' }),
  crossTownBy: Type.Array(Type.Enum(['location', 'parties'])),
})
export type ClusterProperties = Static<typeof ClusterPropertiesSchema>

/** `GET /api/analytics/dispute-clusters`: largest first. */
export const ClusterCollectionSchema = featureCollectionSchema(ClusterPropertiesSchema, 'one Polygon hull per cluster, largest first', {
  window: WindowSchema,
  distanceMeters: Type.Number(),
  minPoints: Type.Integer(),
  windowDays: Type.Union([Type.Number(), Type.Null()]),
})
export type ClusterCollection = Static<typeof ClusterCollectionSchema>

/** `GET /api/analytics/dispute-arcs`. */
export const DisputeArcsSchema = Type.Object({
  window: WindowSchema,
  arcs: Type.Array(
    Type.Object({
      source: VillagePointSchema,
      target: VillagePointSchema,
      count: Type.Integer({ description: 'Disputes with parties from both villages' }),
      caseIds: Type.Array(Type.Integer()),
    }),
    { description: 'Most disputes first; source is the village with the lower id; points are ST_PointOnSurface (inside the village)' },
  ),
})
export type DisputeArcs = Static<typeof DisputeArcsSchema>
/** One pair of home villages of cross-village disputes. */
export type DisputeArc = DisputeArcs['arcs'][number]

/** A joint mediation case (联调) as listed by `GET /api/analytics/joint-cases`. */
export const JointCaseSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  note: Type.String(),
  status: Type.Enum(['open', 'closed']),
  openedAt: Type.String(),
  openedBy: Type.Integer(),
  openedByName: Type.String({ description: 'Username of who opened it' }),
  closedAt: Nullable(Type.String()),
  closedBy: Type.Union([Type.Integer(), Type.Null()]),
  closeReason: Nullable(Type.String()),
  caseIds: Type.Array(Type.Integer(), { description: 'Linked dispute ids, ascending (a town user: its own town\'s only)' }),
  stationKeys: Type.Array(Type.String(), { description: 'Stations it is dispatched to' }),
  townIds: Type.Array(Type.Integer(), { description: 'Towns of its disputes, ascending (each of them sees the joint case)' }),
  crossTown: Type.Boolean({ description: 'Its disputes lie in several towns: opened and closed by the county' }),
  disputes: Type.Array(Type.Object({ id: Type.Integer(), category: Type.String(), status: Type.String(), reportedAt: Type.String() })),
  cluster: Type.Object({}, { additionalProperties: true, description: 'The cluster it was opened on (empty for a town user of a joint case across towns)' }),
})
export type JointCase = Static<typeof JointCaseSchema>
/** A dispute of a joint case. */
export type JointCaseDispute = JointCase['disputes'][number]

/** What `POST /api/analytics/dispute-clusters/joint-case` answers. */
export const OpenedJointCaseSchema = Type.Pick(JointCaseSchema, ['id', 'title', 'note', 'status', 'openedAt', 'openedBy', 'caseIds', 'stationKeys', 'cluster'])
export type OpenedJointCase = Static<typeof OpenedJointCaseSchema>
