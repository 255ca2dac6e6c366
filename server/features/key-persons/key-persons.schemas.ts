import { Type, type Static, type TSchema } from 'typebox'

/** A colour of four-colour management. */
export const ColourSchema = Type.Union([Type.Literal('red'), Type.Literal('orange'), Type.Literal('yellow'), Type.Literal('green')])
/** A management status: 在管 / 外出 / 解除. */
export const StatusSchema = Type.Union([Type.Literal('in_management'), Type.Literal('away'), Type.Literal('released')])
/** A visit state. */
export const VisitStateSchema = Type.Union([Type.Literal('ok'), Type.Literal('due_soon'), Type.Literal('overdue')])
/** A colour of four-colour management. */
export type Colour = Static<typeof ColourSchema>
/** A management status. */
export type KeyPersonStatus = Static<typeof StatusSchema>
/** A visit state. */
export type VisitState = Static<typeof VisitStateSchema>
const GenderSchema = Type.Union([Type.Literal('male'), Type.Literal('female'), Type.Null()])
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

const AreaRefSchema = Type.Object({
  id: Type.Integer(),
  version: Type.Integer({ description: 'Boundary version in force when the household was registered or moved' }),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
})

/** A household point in WGS84 degrees. */
export const HouseholdSchema = Type.Object(
  { lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) },
  { additionalProperties: false, description: 'Registered household (WGS84); never a live position' },
)

/** Where a shown household point stands. */
export const HouseholdPrecisionSchema = Type.Union([Type.Literal('fine_grid'), Type.Literal('base_grid'), Type.Literal('village')], {
  description: 'The area `household` is a point of (the finest recorded): never the exact household',
})

/**
 * A key person as the API shows it: identity number, phone and address
 * always masked, an age band instead of the birth year, the household at its
 * fine grid. The exact values come only from the audited reveal.
 */
export const KeyPersonSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  gender: GenderSchema,
  ageBand: Nullable(Type.String({ description: 'Ten-year age band, e.g. 40–49 (the birth year is not shown; reveal birthYear if needed)' })),
  idNumber: Nullable(Type.String({ description: 'Masked to the last four characters, e.g. **************1234; reveal with POST …/reveal' })),
  phone: Nullable(Type.String({ description: 'Masked, e.g. 138****5678' })),
  address: Nullable(Type.String({ description: 'Reduced to the grid, e.g. 喜洲村第3网格 附近' })),
  household: Nullable(
    Type.Object(HouseholdSchema.properties, {
      description: 'A point inside the household’s fine grid (see householdPrecision), not the household; reveal `household` for the exact point',
    }),
  ),
  householdPrecision: Nullable(HouseholdPrecisionSchema),
  category: Type.String(),
  colour: ColourSchema,
  status: StatusSchema,
  releasedAt: Nullable(Type.String()),
  village: AreaRefSchema,
  baseGrid: Nullable(AreaRefSchema),
  fineGrid: Nullable(AreaRefSchema),
  responsibleUser: Nullable(Type.Object({ id: Type.Integer(), username: Type.String() })),
  responsibleStaff: Nullable(Type.Object({ id: Type.Integer(), name: Type.String() })),
  note: Type.String(),
  lastVisitAt: Nullable(Type.String()),
  nextVisitDue: Nullable(Type.String({ description: 'Last visit (or registration) plus the colour’s visit frequency' })),
  visitState: Nullable(VisitStateSchema),
  version: Type.Integer({ description: 'Sent as the ETag; send it back in If-Match to change the record' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
})
export type KeyPersonDto = Static<typeof KeyPersonSchema>

const IdNumberSchema = Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', description: '18-character resident identity number' })
const PhoneSchema = Type.String({ pattern: '^[0-9+-]{5,20}$' })

/** Fields of a registration (REST or the properties of an OGC Feature). */
export const KeyPersonFieldsSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 50 }),
  gender: Type.Optional(GenderSchema),
  birthYear: Type.Optional(Nullable(Type.Integer({ minimum: 1900, maximum: 2100 }))),
  idNumber: Type.Optional(Nullable(IdNumberSchema)),
  phone: Type.Optional(Nullable(PhoneSchema)),
  address: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
  category: Type.String({ minLength: 1, maxLength: 40 }),
  colour: ColourSchema,
  status: Type.Optional(StatusSchema),
  responsibleUserId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  responsibleStaffId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
})
export type KeyPersonFields = Static<typeof KeyPersonFieldsSchema>

/** Body of `POST /api/key-persons`. */
export const CreateKeyPersonSchema = Type.Object(
  { ...KeyPersonFieldsSchema.properties, household: HouseholdSchema },
  { additionalProperties: false },
)
export type CreateKeyPersonBody = Static<typeof CreateKeyPersonSchema>

/** Body of `PATCH /api/key-persons/{id}`: any fields; `version` when If-Match is not sent. */
export const PatchKeyPersonSchema = Type.Object(
  {
    name: Type.Optional(KeyPersonFieldsSchema.properties.name),
    gender: KeyPersonFieldsSchema.properties.gender,
    birthYear: KeyPersonFieldsSchema.properties.birthYear,
    idNumber: KeyPersonFieldsSchema.properties.idNumber,
    phone: KeyPersonFieldsSchema.properties.phone,
    address: KeyPersonFieldsSchema.properties.address,
    category: Type.Optional(KeyPersonFieldsSchema.properties.category),
    colour: Type.Optional(ColourSchema),
    status: KeyPersonFieldsSchema.properties.status,
    responsibleUserId: KeyPersonFieldsSchema.properties.responsibleUserId,
    responsibleStaffId: KeyPersonFieldsSchema.properties.responsibleStaffId,
    note: KeyPersonFieldsSchema.properties.note,
    household: Type.Optional(HouseholdSchema),
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'The version you edited (alternative to If-Match)' })),
  },
  { additionalProperties: false },
)
export type PatchKeyPersonBody = Static<typeof PatchKeyPersonSchema>

/** A GeoJSON Feature registering or replacing a key person (OGC API – Features Part 4). */
export const KeyPersonFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    geometry: Type.Object(
      {
        type: Type.Literal('Point'),
        coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3, description: '[lon, lat] in WGS84' }),
      },
      { additionalProperties: true },
    ),
    properties: Type.Object(KeyPersonFieldsSchema.properties, { additionalProperties: true }),
  },
  { additionalProperties: true, description: 'GeoJSON Feature with a Point geometry (the registered household)' },
)
export type KeyPersonFeatureBody = Static<typeof KeyPersonFeatureSchema>

/** A GeoJSON Feature replacing a key person: like a registration, but masked values as read are accepted back. */
export const KeyPersonReplaceFeatureSchema = Type.Object(
  {
    ...KeyPersonFeatureSchema.properties,
    properties: Type.Object(
      {
        ...KeyPersonFieldsSchema.properties,
        idNumber: Type.Optional(Nullable(Type.Union([IdNumberSchema, Type.String({ pattern: '\\*', maxLength: 18, description: 'The masked value as read: keeps the stored one' })]))),
        phone: Type.Optional(Nullable(Type.Union([PhoneSchema, Type.String({ pattern: '\\*', maxLength: 20, description: 'The masked value as read: keeps the stored one' })]))),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, description: 'GeoJSON Feature with a Point geometry (the registered household)' },
)
export type KeyPersonReplaceFeatureBody = Static<typeof KeyPersonReplaceFeatureSchema>

/** Filters of `GET /api/key-persons`. */
export const KeyPersonListQuery = Type.Object(
  {
    gridId: Type.Optional(Type.Integer({ minimum: 1, description: 'Base or fine grid id' })),
    villageId: Type.Optional(Type.Integer({ minimum: 1 })),
    category: Type.Optional(Type.String({ maxLength: 40 })),
    colour: Type.Optional(ColourSchema),
    status: Type.Optional(StatusSchema),
    visitState: Type.Optional(VisitStateSchema),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'Part of the name' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
)

/** A visit. */
export const VisitSchema = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  visitor: Type.Object({ id: Type.Integer(), username: Type.String() }),
  visitedAt: Type.String(),
  kind: Type.Union([Type.Literal('home'), Type.Literal('phone'), Type.Literal('other')]),
  note: Type.String(),
  colour: ColourSchema,
  nextDue: Type.String({ description: 'Due date this visit set, from the colour’s frequency at the time' }),
  createdAt: Type.String(),
})
export type VisitDto = Static<typeof VisitSchema>
/** How a visit was made. */
export type VisitKind = VisitDto['kind']

/** Body of `POST /api/key-persons/{id}/visits`. */
export const CreateVisitSchema = Type.Object(
  {
    visitedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now; not in the future' })),
    kind: Type.Union([Type.Literal('home'), Type.Literal('phone'), Type.Literal('other')]),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)

/** Fields that can be revealed. */
export const RevealFieldSchema = Type.Union([
  Type.Literal('idNumber'),
  Type.Literal('phone'),
  Type.Literal('address'),
  Type.Literal('household'),
  Type.Literal('birthYear'),
])
export type RevealField = Static<typeof RevealFieldSchema>

/** The values a reveal answers (only the fields asked for). */
export const RevealedFieldsSchema = Type.Object({
  idNumber: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  address: Type.Optional(Nullable(Type.String())),
  household: Type.Optional(Nullable(Type.Object(HouseholdSchema.properties, { description: 'The exact registered household' }))),
  birthYear: Type.Optional(Nullable(Type.Integer())),
})
export type RevealedFields = Static<typeof RevealedFieldsSchema>

/**
 * A key-person count: exact for roles that see every person, otherwise null
 * below the threshold k (suppressed, never 0) and rounded to a multiple of k.
 */
export const ProtectedCountSchema = Nullable(
  Type.Integer({ description: 'Null = suppressed (fewer than k persons, k in `protection`); otherwise exact or rounded to a multiple of k' }),
)

/** How the counts of an answer were protected; null when exact. */
export const ProtectionNoteSchema = Nullable(
  Type.Object(
    { minCount: Type.Integer({ description: 'k: counts below it are null' }), roundedTo: Type.Integer({ description: 'Counts from k up are rounded to a multiple of this' }) },
    { description: 'Small-count protection for roles that may not see identities' },
  ),
)

/** Counts of a group of a summary. */
export const SummaryGroupSchema = Type.Object({
  key: Type.Union([Type.String(), Type.Integer(), Type.Null()], { description: 'Area id, category key or colour; null: outside any grid' }),
  area: Nullable(Type.Object({ id: Type.Integer(), level: Type.String(), code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) })),
  label: Type.String(),
  total: ProtectedCountSchema,
  byColour: Type.Object({ red: ProtectedCountSchema, orange: ProtectedCountSchema, yellow: ProtectedCountSchema, green: ProtectedCountSchema }),
  overdue: ProtectedCountSchema,
  dueSoon: ProtectedCountSchema,
  suppressed: Type.Boolean({ description: 'True when the total is below the threshold k and shown as null' }),
})
export type SummaryGroupDto = Static<typeof SummaryGroupSchema>

/** `GET /api/key-persons/summary`: counts only. */
export const PersonSummarySchema = Type.Object({
  groupBy: Type.String(),
  statuses: Type.Array(StatusSchema),
  total: ProtectedCountSchema,
  protection: ProtectionNoteSchema,
  groups: Type.Array(SummaryGroupSchema),
})
export type PersonSummary = Static<typeof PersonSummarySchema>

/** A category as configured. */
export const CategorySchema = Type.Object({
  key: Type.String(),
  labelZh: Type.String(),
  labelEn: Type.String(),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
})
export type PersonCategory = Static<typeof CategorySchema>

/** A colour and its visit frequency. */
export const ColourSettingSchema = Type.Object({
  colour: ColourSchema,
  labelZh: Type.String(),
  labelEn: Type.String(),
  visitIntervalDays: Type.Integer(),
})

/** An audit entry. */
export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  userId: Nullable(Type.Integer()),
  username: Type.String(),
  role: Type.String(),
  action: Type.String(),
  subjectKind: Type.String(),
  subjectIds: Type.Array(Type.Integer()),
  fields: Type.Array(Type.String()),
  reason: Nullable(Type.String()),
  requestIp: Nullable(Type.String()),
  detail: Type.Unknown(),
  credentialKind: Nullable(Type.Union([Type.Literal('session'), Type.Literal('token')], { description: 'Which kind of credential acted' })),
  credentialId: Nullable(Type.Integer({ description: 'Id of the session or API token that acted' })),
  credentialIssuedBy: Nullable(Type.Integer({ description: 'For an API token an administrator issued for this user: that administrator' })),
})
export type AuditEntryDto = Static<typeof AuditEntrySchema>
