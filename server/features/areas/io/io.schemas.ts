import { Type, type Static } from 'typebox'
import { BoundaryProblemSchema } from '../boundaries/boundaries.schemas.ts'

/** Collection names of the levels an import or export may target. */
export const LevelParam = Type.Union([Type.Literal('villages'), Type.Literal('base-grids'), Type.Literal('fine-grids')], {
  description: 'Level: villages, base-grids or fine-grids',
})

/** A level an import or export may target, by collection name. */
export type IoLevel = Static<typeof LevelParam>

/** Query of POST /api/boundaries/imports (the file is the body). */
export const ImportQuery = Type.Object(
  {
    level: LevelParam,
    sourceCrs: Type.Union([Type.Literal('wgs84'), Type.Literal('cgcs2000'), Type.Literal('gcj02')], {
      description: 'Coordinate system of the file: WGS84, CGCS2000 (EPSG:4490, taken as WGS84: a few cm apart) or GCJ-02 (converted). A zipped Shapefile with a projected .prj is reprojected first.',
    }),
    reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why: written on every version the import creates' }),
    dryRun: Type.Optional(Type.Boolean({ description: 'Check and report only; nothing is written' })),
    townId: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Town of the import (GET /api/towns): required of a county administrator when the county has several towns; a town administrator imports into their own town. Features of other towns are refused',
      }),
    ),
  },
  { additionalProperties: false },
)

// An import's problems are the boundary rules' problems (the same checks as the edit routes).
const Problem = BoundaryProblemSchema

const Entry = Type.Object(
  {
    index: Type.Integer({ description: '1-based position in the file' }),
    code: Type.Union([Type.String(), Type.Null()], { description: 'Code in the file' }),
    areaId: Type.Optional(Type.Integer()),
    newCode: Type.Optional(Type.String({ description: 'Code after the import (created grids are numbered in reading order)' })),
    version: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)

const Refusal = Type.Object(
  {
    index: Type.Integer(),
    code: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String({ description: 'Why, in the request language' }),
    problems: Type.Array(Problem, { description: 'Problems with their place, as the edit routes give them' }),
  },
  { additionalProperties: false },
)

/** An import report. */
export const ImportReportSchema = Type.Object(
  {
    total: Type.Integer(),
    created: Type.Array(Entry),
    changed: Type.Array(Entry),
    unchanged: Type.Array(Entry),
    refused: Type.Array(Refusal),
    warnings: Type.Array(Problem, { description: 'Gaps the accepted changes open (never a refusal)' }),
    changeId: Type.Union([Type.Integer(), Type.Null()], { description: 'The boundary change written (see /api/boundaries/changes)' }),
  },
  { additionalProperties: false },
)

/** What an import did. */
export type ImportReport = Static<typeof ImportReportSchema>

/** An import job. */
export const ImportJobSchema = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
    phase: Type.String({ description: 'queued, checking (features checked one chunk at a time), validating (grid rules), writing, done or failed' }),
    processed: Type.Integer({ description: 'Features checked so far' }),
    total: Type.Integer({ description: 'Features in the file' }),
    format: Type.String(),
    level: Type.String(),
    sourceCrs: Type.String(),
    startedAt: Type.String(),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
    report: Type.Union([ImportReportSchema, Type.Null()]),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  },
  { additionalProperties: false },
)

/** An import job as the server reports it while it runs and after. */
export type ImportJob = Static<typeof ImportJobSchema>
