import { Type, type Static } from 'typebox'

/** A level of the area hierarchy. */
export const LevelSchema = Type.Union([Type.Literal('town'), Type.Literal('village'), Type.Literal('base_grid'), Type.Literal('fine_grid')])
/** A fine grid's kind; anything but `standard` is a dedicated grid (专属网格). */
export const KindSchema = Type.Union([
  Type.Literal('standard'),
  Type.Literal('school'),
  Type.Literal('market'),
  Type.Literal('scenic'),
  Type.Literal('enterprise'),
])
/** A person on grid duty. */
export const PersonSchema = Type.Object({ name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) })

export type AreaLevel = Static<typeof LevelSchema>
export type AreaKind = Static<typeof KindSchema>
export type StaffContact = Static<typeof PersonSchema>

/** An area with its parent, staff and figures, for the side panel. */
export const AreaDetailSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: LevelSchema,
  kind: KindSchema,
  parent: Type.Union([
    Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), level: LevelSchema }),
    Type.Null(),
  ]),
  households: Type.Integer(),
  population: Type.Integer(),
  leader: Type.Union([PersonSchema, Type.Null()]),
  workers: Type.Array(PersonSchema),
  version: Type.Integer(),
  validFrom: Type.String(),
  changedBy: Type.String(),
  changeReason: Type.String(),
  synthetic: Type.Boolean(),
})
export type AreaDetailDto = Static<typeof AreaDetailSchema>
/** The parent of an area (a short reference). */
export type AreaRef = NonNullable<AreaDetailDto['parent']>

/** Facts the client needs at start (`GET /api/meta`). */
export const AppMetaSchema = Type.Object({
  sampleData: Type.Boolean(),
  township: Type.Union([Type.Object({ name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), code: Type.String() }), Type.Null()]),
  county: Type.Union(
    [Type.Object({ name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]), code: Type.Union([Type.String(), Type.Null()]) }), Type.Null()],
    { description: 'The county of the deployment (app_meta `county`, or the sample county); null when not named' },
  ),
  bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()]),
  engine: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]),
})
export type AppMeta = Static<typeof AppMetaSchema>
