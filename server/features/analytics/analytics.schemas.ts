import { Type, type TSchema } from 'typebox'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** The four risk colours. */
export const RiskColourSchema = Type.Enum(['blue', 'yellow', 'orange', 'red'], {
  description: 'Four-colour risk grading (四色): blue (low) < yellow < orange < red, by the thresholds of GET /api/analytics/settings',
})

/** Level of a risk map: grid = base grid (基础网格). */
export const RiskLevelSchema = Type.Enum(['grid', 'village', 'fine_grid'], { default: 'grid', description: 'grid = base grid (基础网格)' })

/** Parts of a score, each already weighted. */
export const BreakdownSchema = Type.Object({
  hazards: Type.Number({ description: 'Σ open hazards × severity weight' }),
  disputes: Type.Number({ description: 'Σ active disputes × tier weight × 0.5^(age days / half-life)' }),
  keyPersons: Type.Number({ description: 'Σ key persons in management × colour weight' }),
  overdue: Type.Number({ description: 'Σ overdue open cases × overdue penalty' }),
})

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

/** Identity of an area in analytics answers. */
export const AreaRefSchema = Type.Object({
  id: Type.Integer(),
  level: Type.String(),
  code: Type.String(),
  name: Type.String(),
  nameEn: Nullable(Type.String()),
})

/** A half-open window as answered. */
export const WindowSchema = Type.Object({ from: Nullable(Type.String()), to: Type.String() }, { description: '[from, to): from inclusive, to exclusive' })

/** A GeoJSON FeatureCollection whose features carry `properties`. */
export function featureCollectionSchema(properties: TSchema, description: string, members: Record<string, TSchema> = {}) {
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
