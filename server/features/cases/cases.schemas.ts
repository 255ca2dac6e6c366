import { withReadOnly } from '../../core/ogc/read-only.ts'
import { Type, type Static } from 'typebox'
import { DISPUTE_ACTIONS, DISPUTE_STATUSES } from './dispute-workflow.ts'
import { HAZARD_ACTIONS, HAZARD_STATUSES } from './hazard-workflow.ts'
import { LEAD_STATUSES } from './lead-workflow.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

/** Category key, as listed by GET /api/routing-rules. */
export const CategorySchema = Type.String({ pattern: '^[a-z][a-z0-9_-]{1,39}$', description: 'Category key (see GET /api/routing-rules)' })
export const SeveritySchema = Type.Enum(['low', 'medium', 'high', 'critical'])
export const TierSchema = Type.Enum(['general', 'complex', 'major'])
export const SourceSchema = Type.Enum(['grid_worker', 'walk_in', 'hotline', 'department', 'lead'])
export const MediationModeSchema = Type.Enum(
  ['pre_litigation', 'jinhua', 'apeng', 'expert', 'other'],
  { description: 'pre_litigation 诉前委派调解, jinhua 金花调解, apeng 阿鹏调解, expert 博士调解, other' },
)
export const OutcomeSchema = Type.Enum(['agreement', 'withdrawn', 'litigation', 'failed'])
export const DeadlineStateSchema = Type.Enum(['ok', 'near', 'overdue', 'done'], {
  description: 'ok; near (yellow) = less than 25 % of the allowed time left; overdue (red); done = deadline met or case finished',
})
export const HazardStatusSchema = Type.Enum(HAZARD_STATUSES)
export const DisputeStatusSchema = Type.Enum(DISPUTE_STATUSES)
export const LeadStatusSchema = Type.Enum(LEAD_STATUSES)

export type Severity = Static<typeof SeveritySchema>
export type Tier = Static<typeof TierSchema>
/** Where a case came from (`lead` is set by the server when a lead is converted). */
export type CaseSource = Static<typeof SourceSchema>
export type MediationMode = Static<typeof MediationModeSchema>
export type Outcome = Static<typeof OutcomeSchema>
/** Supervision colour of a case (督办). */
export type DeadlineState = Static<typeof DeadlineStateSchema>
export type HazardStatus = Static<typeof HazardStatusSchema>
export type DisputeStatus = Static<typeof DisputeStatusSchema>
export type LeadStatus = Static<typeof LeadStatusSchema>
/** Any case status. */
export type CaseStatus = HazardStatus | DisputeStatus
/** Any workflow action of a case. */
export type CaseAction = (typeof DISPUTE_ACTIONS)[number] | (typeof HAZARD_ACTIONS)[number]

/** Metadata of a photo stored elsewhere (the API keeps URLs, not image bytes). */
export const PhotoSchema = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 1000, description: 'Where the photo is stored' }),
    caption: Type.Optional(Type.String({ maxLength: 200 })),
    takenAt: Type.Optional(Type.String({ format: 'date-time' })),
    contentType: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
)

const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) })

const CommonRegistration = {
  category: CategorySchema,
  description: Text(4000),
  source: SourceSchema,
  reporterName: Text(50, 'Who reported it (name of the grid worker, caller, visitor or department contact)'),
  reporterPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  reportedAt: Type.Optional(
    Type.String({ format: 'date-time', description: 'When it was found/reported (default now); areas are located at the boundary versions in force then' }),
  ),
  photos: Type.Optional(Type.Array(PhotoSchema, { maxItems: 20 })),
}

/** Properties of a hazard registration. */
export const HazardRegistrationSchema = Type.Object(
  { ...CommonRegistration, severity: SeveritySchema },
  { additionalProperties: false },
)
export type HazardRegistration = Static<typeof HazardRegistrationSchema>

/** A party of a dispute at registration. */
export const PartyInputSchema = Type.Object(
  {
    name: Text(50),
    role: Type.Optional(Type.Enum(['applicant', 'respondent', 'party'])),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    homeVillageId: Type.Integer({ minimum: 1, description: 'Area id of the village the party lives in' }),
  },
  { additionalProperties: false },
)
export type PartyInput = Static<typeof PartyInputSchema>

/** Properties of a dispute registration. */
export const DisputeRegistrationSchema = Type.Object(
  { ...CommonRegistration, tier: TierSchema, parties: Type.Array(PartyInputSchema, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
)
export type DisputeRegistration = Static<typeof DisputeRegistrationSchema>

/** A GeoJSON Point in CRS84. */
export const PointSchema = Type.Object(
  {
    type: Type.Literal('Point'),
    coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] in CRS84' }),
  },
  { additionalProperties: false },
)


const RecordedAreaSchema = Type.Object({
  id: Type.Integer(),
  version: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String({ description: 'English name of that boundary version, if recorded' })),
})
const Stamp = Nullable(Type.String())
const NullableText = Nullable(Type.String())

/** A party of a dispute as the API shows it. */
const PartySchema = Type.Object({
  seq: Type.Integer(),
  name: Type.String(),
  role: Type.String(),
  phone: NullableText,
  homeVillageId: Type.Integer(),
  homeVillageName: NullableText,
  homeTownName: Type.Optional(Nullable(Type.String({ description: 'Town of the home village when it is another town than the dispute\'s (a party from across the town border), else null' }))),
})

/** A hazard or dispute as the API shows it (also the properties of its GeoJSON feature). */
export const CaseSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['hazard', 'dispute']),
  status: Type.String(),
  allowedActions: Type.Array(Type.String(), { description: 'Workflow actions the status allows (the role may still forbid them)' }),
  permittedActions: Type.Array(Type.String(), {
    description: 'Of allowedActions, those the caller may take on this case now (role, own grids, own station): the rule the action routes enforce',
  }),
  mayReveal: Type.Boolean({
    description: 'Whether the caller may reveal this case\'s masked phones (POST /api/cases/{id}/reveal) ; the same rule that route enforces',
  }),
  mayAddPhotos: Type.Boolean({ description: 'Whether the caller may add photos to this case (POST /api/cases/{id}/photos); the same rule that route enforces' }),
  category: Type.String(),
  description: Type.String(),
  severity: Nullable(SeveritySchema),
  tier: Nullable(TierSchema),
  source: SourceSchema,
  reporterName: Type.String(),
  reporterPhone: NullableText,
  photos: Type.Array(PhotoSchema),
  leadId: Nullable(Type.Integer()),
  crossVillage: Type.Boolean({ description: 'Parties come from two or more villages (跨村纠纷)' }),
  lon: Type.Number(),
  lat: Type.Number(),
  reportedAt: Type.String(),
  registeredAt: Type.String(),
  registeredBy: Type.Integer(),
  village: RecordedAreaSchema,
  baseGrid: Nullable(RecordedAreaSchema),
  fineGrid: Nullable(RecordedAreaSchema),
  deadlineAt: Type.String(),
  deadlineState: DeadlineStateSchema,
  stationKey: NullableText,
  villageCenterId: Nullable(Type.Integer()),
  mediatorName: NullableText,
  dispatchedAt: Stamp,
  escalatedAt: Stamp,
  escalationDepartment: NullableText,
  escalationReason: NullableText,
  mediationMode: Nullable(MediationModeSchema),
  outcome: Nullable(OutcomeSchema),
  outcomeNote: NullableText,
  resolvedAt: Stamp,
  feedbackNote: NullableText,
  fedBackAt: Stamp,
  satisfaction: Nullable(Type.Integer()),
  timely: Nullable(Type.Boolean()),
  evaluationNote: NullableText,
  evaluatedAt: Stamp,
  verifiedAt: Stamp,
  verificationNote: NullableText,
  rectificationPlan: NullableText,
  rectificationNote: NullableText,
  rectifiedAt: Stamp,
  closedAt: Stamp,
  parties: Type.Array(PartySchema),
  version: Type.Integer(),
  updatedAt: Type.String(),
})
export type CaseDto = Static<typeof CaseSchema>
/** The two kinds of case. */
export type CaseKind = CaseDto['kind']
/** An area as recorded on a case (the boundary version in force when it was reported). */
export type RecordedArea = CaseDto['village']
/** A party of a dispute. */
export type CaseParty = CaseDto['parties'][number]

/** A case as a GeoJSON Feature. */
export const CaseFeatureSchema = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number()) }),
  properties: CaseSchema,
})
export type CaseFeature = Static<typeof CaseFeatureSchema>

/** The `If-Match` request header of workflow actions. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'ETag of the version you saw, e.g. "3"; a stale one is refused with 412' })),
})

/** Path parameter of one case or lead. */
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

const Reason = (description = 'Why (recorded in the ledger)') => Type.String({ minLength: 1, maxLength: 2000, description })
const OptionalReason = Type.Optional(Reason())

/** Bodies of the dispute actions. */
export const DisputeActionBodies = {
  dispatch: Type.Object(
    {
      stationKey: Type.Optional(Type.String({ maxLength: 40, description: 'One of the seven stations' })),
      villageCenterId: Type.Optional(Type.Integer({ minimum: 1, description: 'Area id of the village whose center handles it' })),
      tier: Type.Optional(TierSchema),
      mediatorName: Type.Optional(Text(50, 'Full-time mediator (专职调解员); required for complex disputes')),
      reason: OptionalReason,
    },
    { additionalProperties: false },
  ),
  escalate: Type.Object(
    { department: Text(100, 'City department it is reported to'), reason: Reason('Why it is escalated') },
    { additionalProperties: false },
  ),
  resolve: Type.Object(
    { mode: MediationModeSchema, outcome: OutcomeSchema, note: Text(4000, 'What was agreed or done'), reason: OptionalReason },
    { additionalProperties: false },
  ),
  feedback: Type.Object({ note: Text(4000, 'What the parties and the reporter were told, and how'), reason: OptionalReason }, { additionalProperties: false }),
  evaluate: Type.Object(
    { satisfaction: Type.Integer({ minimum: 1, maximum: 5 }), note: Type.Optional(Text(2000)), reason: OptionalReason },
    { additionalProperties: false },
  ),
} satisfies Record<(typeof DISPUTE_ACTIONS)[number], unknown>

/** Bodies of the hazard actions. */
export const HazardActionBodies = {
  verify: Type.Object({ note: Type.Optional(Text(2000)), severity: Type.Optional(SeveritySchema), reason: OptionalReason }, { additionalProperties: false }),
  reject: Type.Object({ reason: Reason('Why the report is unfounded') }, { additionalProperties: false }),
  'start-rectification': Type.Object({ plan: Text(4000, 'Rectification plan'), reason: OptionalReason }, { additionalProperties: false }),
  rectify: Type.Object({ note: Text(4000, 'What was rectified'), reason: OptionalReason }, { additionalProperties: false }),
  close: Type.Object({ reason: OptionalReason }, { additionalProperties: false }),
} satisfies Record<(typeof HAZARD_ACTIONS)[number], unknown>

/** One ledger entry. */
export const CaseEventSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Type.Integer(),
  username: Type.String(),
  role: Type.String(),
  action: Type.String(),
  statusFrom: NullableText,
  statusTo: Type.String(),
  version: Type.Integer(),
  changes: Type.Record(Type.String(), Type.Object({ before: Type.Unknown(), after: Type.Unknown() })),
  reason: NullableText,
})
export type CaseEventDto = Static<typeof CaseEventSchema>

/** The ledger of a case or lead (`GET /api/cases/{kind}/{id}/timeline`). */
export const CaseTimelineSchema = Type.Object({ kind: Type.String(), id: Type.Integer(), status: Type.String(), version: Type.Integer(), events: Type.Array(CaseEventSchema) })
export type CaseTimeline = Static<typeof CaseTimelineSchema>

const Counts = Type.Record(Type.String(), Type.Integer())
const KindCounts = Type.Object({ byStatus: Counts, openByDeadlineState: Counts })

/** Legend counts (`GET /api/cases/counts`). */
export const CaseCountsSchema = Type.Object({ hazard: KindCounts, dispute: KindCounts })
export type CaseCounts = Static<typeof CaseCountsSchema>
/** Legend counts of one kind. */
export type KindCounts = CaseCounts['hazard']

/** A category and its default station (`GET /api/routing-rules`). */
export const RoutingRuleSchema = Type.Object({
  kind: Type.String(),
  category: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  stationKey: Type.String(),
  sortOrder: Type.Integer(),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
})
export type RoutingRule = Static<typeof RoutingRuleSchema>

/** One entry of the dispatch queue (`GET /api/dispatch/queue`). */
export const QueueItemSchema = Type.Object({
  case: CaseSchema,
  suggestedStation: Type.Union([Type.String(), Type.Null()]),
  mustEscalate: Type.Boolean({ description: 'Major dispute: escalate within its deadline (24 h by default)' }),
})
export type QueueItem = Static<typeof QueueItemSchema>

/** A lead as the API shows it. */
export const LeadSchema = Type.Object({
  id: Type.Integer(),
  status: LeadStatusSchema,
  allowedActions: Type.Array(Type.String()),
  department: Type.String(),
  category: NullableText,
  description: Type.String(),
  lon: Nullable(Type.Number()),
  lat: Nullable(Type.Number()),
  villageId: Nullable(Type.Integer()),
  villageName: NullableText,
  baseGridId: Nullable(Type.Integer()),
  fineGridId: Nullable(Type.Integer()),
  receivedAt: Type.String(),
  receivedBy: Type.Integer(),
  verifiedAt: Stamp,
  verificationNote: NullableText,
  dismissedReason: NullableText,
  closedAt: Stamp,
  convertedCase: Nullable(Type.Object({ id: Type.Integer(), kind: Type.String() })),
  version: Type.Integer(),
  updatedAt: Type.String(),
})
export type LeadDto = Static<typeof LeadSchema>

const ReadOnly = Type.Optional(Type.Unknown({ readOnly: true, description: 'Read-only: accepted as read and ignored' }))
const AlwaysNull = (what: string) => Type.Optional(Type.Null({ readOnly: true, description: `Always null on ${what}` }))
/** What a hazard read shows of the dispute-only fields: sending a value there is an error, not ignored. */
const HAZARD_AS_READ = { tier: AlwaysNull('a hazard'), parties: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 0, readOnly: true })) }
/** What a dispute read shows of the hazard-only field. */
const DISPUTE_AS_READ = { severity: AlwaysNull('a dispute') }

/**
 * A GeoJSON Feature whose properties follow `properties` (OGC API – Features
 * – Part 4 create). A feature read from the API and sent back whole (as QGIS
 * does) is accepted: its read-only members and properties are ignored.
 */
export function featureBody<T extends ReturnType<typeof Type.Object>>(properties: T, kind: 'hazard' | 'dispute') {
  return Type.Object(
    {
      type: Type.Literal('Feature'),
      geometry: PointSchema,
      properties: withReadOnly(properties, CaseSchema, kind === 'hazard' ? HAZARD_AS_READ : DISPUTE_AS_READ),
      id: ReadOnly,
      links: ReadOnly,
      bbox: ReadOnly,
    },
    { additionalProperties: false },
  )
}

/** Properties of a dispute registered as a Feature: parties may carry what a read answer shows of them (seq, homeVillageName). */
export const DisputeFeatureRegistrationSchema = Type.Object(
  { ...DisputeRegistrationSchema.properties, parties: Type.Array(withReadOnly(PartyInputSchema, PartySchema), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
)
