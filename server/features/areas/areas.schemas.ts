import { Type, type Static } from 'typebox'

const LevelSchema = Type.Union([Type.Literal('town'), Type.Literal('village'), Type.Literal('base_grid'), Type.Literal('fine_grid')])
const KindSchema = Type.Union([
  Type.Literal('standard'),
  Type.Literal('school'),
  Type.Literal('market'),
  Type.Literal('scenic'),
  Type.Literal('enterprise'),
])
const PersonSchema = Type.Object({ name: Type.String(), phone: Type.Union([Type.String(), Type.Null()]) })

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
