import { Type, type Static } from 'typebox'
import { MAX_TOLERANCE_M2 } from './limits.ts'

const KindSchema = Type.Union([Type.Literal('standard'), Type.Literal('school'), Type.Literal('market'), Type.Literal('scenic'), Type.Literal('enterprise')])

/** Any GeoJSON geometry object; its shape is checked by the boundary input hygiene (400 with a precise reason). */
export const GeometryInput = Type.Unsafe<unknown>({ description: 'GeoJSON Polygon or MultiPolygon, WGS84 lon/lat (RFC 7946)' })

/** Properties an editor may change (PUT needs name and kind; PATCH any). */
export const EditablePropertiesSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    kind: Type.Optional(KindSchema),
    households: Type.Optional(Type.Integer({ minimum: 0 })),
    population: Type.Optional(Type.Integer({ minimum: 0 })),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: 'Change reason (or the X-Change-Reason header)' })),
  },
  { additionalProperties: true, description: 'Read-only properties (code, level, version…) may be sent back as read and are ignored' },
)

const Reason = Type.String({ minLength: 1, maxLength: 2000, description: 'Why (recorded as the change reason)' })
const Version = Type.Integer({ minimum: 1, description: 'The version (ETag) you saw' })
const Tolerance = Type.Optional(Type.Number({ minimum: 0, maximum: MAX_TOLERANCE_M2, description: 'm² ignored as overlap, spill-over or gap (default 1)' }))

/** One area's new geometry/properties in a batch, validation or impact request. */
export const AreaEditSchema = Type.Object(
  {
    areaId: Type.Integer({ minimum: 1 }),
    ifMatch: Type.Optional(Version),
    geometry: Type.Optional(GeometryInput),
    properties: Type.Optional(EditablePropertiesSchema),
  },
  { additionalProperties: false },
)
export type AreaEdit = Static<typeof AreaEditSchema>

/** `POST /api/boundaries/validate` and the edit body of the impact preview. */
export const ValidateBody = Type.Object(
  {
    areas: Type.Optional(Type.Array(AreaEditSchema, { minItems: 1, maxItems: 50 })),
    create: Type.Optional(Type.Object({ parentId: Type.Integer({ minimum: 1 }), geometry: GeometryInput }, { additionalProperties: true })),
    toleranceM2: Tolerance,
  },
  { additionalProperties: false },
)

/** `PATCH /api/boundaries/batch`. */
export const BatchBody = Type.Object(
  { areas: Type.Array(AreaEditSchema, { minItems: 1, maxItems: 50 }), reason: Reason },
  { additionalProperties: false },
)

/** `POST /api/boundaries/split`. */
export const SplitBody = Type.Object(
  {
    areaId: Type.Integer({ minimum: 1 }),
    line: Type.Unsafe<unknown>({ description: 'GeoJSON LineString crossing the area' }),
    reason: Reason,
    ifMatch: Version,
    names: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  },
  { additionalProperties: false },
)

/** `POST /api/boundaries/merge`. */
export const MergeBody = Type.Object(
  {
    areaIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 20 }),
    ifMatches: Type.Array(Version, { minItems: 2, maxItems: 20, description: 'Versions, in the order of areaIds' }),
    reason: Reason,
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  },
  { additionalProperties: false },
)

/** `POST /api/boundaries/retire`. */
export const RetireBody = Type.Object(
  {
    areaId: Type.Integer({ minimum: 1 }),
    intoId: Type.Integer({ minimum: 1, description: 'The adjacent sibling that takes over the area' }),
    ifMatches: Type.Array(Version, { minItems: 2, maxItems: 2, description: 'Versions of areaId and intoId' }),
    reason: Reason,
  },
  { additionalProperties: false },
)

/** `POST /api/boundaries/create`. */
export const CreateBody = Type.Object(
  {
    parentId: Type.Integer({ minimum: 1 }),
    geometry: GeometryInput,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    nameEn: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    kind: Type.Optional(KindSchema),
    households: Type.Optional(Type.Integer({ minimum: 0 })),
    population: Type.Optional(Type.Integer({ minimum: 0 })),
    reason: Reason,
  },
  { additionalProperties: false },
)

/** A rule a proposed boundary breaks (or, for warnings, a gap it leaves). */
export const BoundaryProblemSchema = Type.Object(
  {
    kind: Type.String(),
    message: Type.String(),
    areaId: Type.Optional(Type.Integer()),
    otherId: Type.Optional(Type.Integer()),
    areaM2: Type.Optional(Type.Number()),
    geometry: Type.Unknown(),
  },
  { additionalProperties: false },
)
export type BoundaryProblem = Static<typeof BoundaryProblemSchema>

/** Outcome of a validation, save or preview. */
export const BoundaryResultSchema = Type.Object(
  {
    valid: Type.Boolean(),
    changeId: Type.Union([Type.Integer(), Type.Null()]),
    problems: Type.Array(BoundaryProblemSchema),
    warnings: Type.Array(BoundaryProblemSchema),
    areas: Type.Array(
      Type.Object({ id: Type.Integer(), code: Type.String(), version: Type.Integer(), action: Type.String(), level: Type.String(), name: Type.String() }),
    ),
    retired: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), version: Type.Integer() })),
    normalised: Type.Record(Type.String(), Type.Array(Type.String())),
  },
  { description: 'areas: written (or, for validation, that would be written); a negative id is an area the save would create' },
)
export type BoundaryResult = Static<typeof BoundaryResultSchema>
/** An area written (or, in a validation, that would be written). */
export type WrittenArea = BoundaryResult['areas'][number]

/** `POST /api/boundaries/impact`: exactly one of `edit`, `split`, `merge` (the bodies of the edit routes without reason and versions). */
export const ImpactBody = Type.Object(
  {
    edit: Type.Optional(Type.Object({ areas: Type.Array(AreaEditSchema, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false })),
    split: Type.Optional(
      Type.Object(
        { areaId: Type.Integer({ minimum: 1 }), line: Type.Unsafe<unknown>({ description: 'GeoJSON LineString crossing the area' }) },
        { additionalProperties: false },
      ),
    ),
    merge: Type.Optional(
      Type.Object({ areaIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 20 }) }, { additionalProperties: false }),
    ),
    toleranceM2: Tolerance,
  },
  { additionalProperties: false },
)
export type ImpactRequestBody = Static<typeof ImpactBody>

/** A short reference in the impact preview. */
export const ImpactAreaRefSchema = Type.Object({ id: Type.Integer(), code: Type.Union([Type.String(), Type.Null()]), name: Type.Union([Type.String(), Type.Null()]) })
/** Households and population, or null when the area does not exist on that side. */
export const AreaFiguresSchema = Type.Union([Type.Object({ households: Type.Integer(), population: Type.Integer() }), Type.Null()])
/** A worker's load (open cases + key persons). */
export const WorkerLoadSchema = Type.Object({ openCases: Type.Integer(), keyPersons: Type.Integer(), total: Type.Integer() })

/** Outcome of an impact preview. */
export const ImpactResultSchema = Type.Object(
  {
    valid: Type.Boolean(),
    problems: Type.Array(BoundaryProblemSchema),
    warnings: Type.Array(BoundaryProblemSchema),
    areas: Type.Array(
      Type.Object({
        id: Type.Integer(),
        code: Type.Union([Type.String(), Type.Null()]),
        name: Type.Union([Type.String(), Type.Null()]),
        level: Type.String(),
        action: Type.String(),
        before: AreaFiguresSchema,
        after: AreaFiguresSchema,
      }),
      { description: 'Areas reshaped, created or retired; after = area-weighted estimate (see the route description)' },
    ),
    cases: Type.Array(
      Type.Object({ level: Type.String(), from: Type.Union([ImpactAreaRefSchema, Type.Null()]), to: Type.Union([ImpactAreaRefSchema, Type.Null()]), count: Type.Integer(), caseIds: Type.Array(Type.Integer()) }),
    ),
    keyPersons: Type.Array(
      Type.Object(
        { level: Type.String(), from: Type.Union([ImpactAreaRefSchema, Type.Null()]), to: Type.Union([ImpactAreaRefSchema, Type.Null()]), count: Type.Integer() },
        { additionalProperties: false, description: 'Counts only: no id, name or other personal field' },
      ),
    ),
    workers: Type.Array(
      Type.Object({
        kind: Type.Union([Type.Literal('staff'), Type.Literal('user')]),
        id: Type.Integer(),
        name: Type.String(),
        areaIds: Type.Array(Type.Integer()),
        before: WorkerLoadSchema,
        after: WorkerLoadSchema,
      }),
    ),
    changes: Type.Object({
      type: Type.Literal('FeatureCollection'),
      features: Type.Array(Type.Object({ type: Type.Literal('Feature'), geometry: Type.Unknown(), properties: Type.Record(Type.String(), Type.Unknown()) })),
    }),
  },
  { additionalProperties: false },
)
export type ImpactResult = Static<typeof ImpactResultSchema>
export type ImpactAreaRef = Static<typeof ImpactAreaRefSchema>
export type AreaFigures = Static<typeof AreaFiguresSchema>
export type WorkerLoad = Static<typeof WorkerLoadSchema>
