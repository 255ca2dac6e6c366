import { Type, type Static } from 'typebox'

const Mapping = Type.Record(Type.String(), Type.Union([Type.Integer(), Type.Null()]), {
  description: 'Column index (0-based) of each field, null for none',
})

/** A field the import takes, with its label in the request's language. */
export const LedgerFieldSchema = Type.Object({
  key: Type.String(),
  label: Type.String(),
  required: Type.Boolean(),
  location: Type.Boolean({ description: 'One of the ways to locate a row (coordinates, grid code or name, address)' }),
})

/** The report of a dry run or of a commit. */
export const LedgerReportSchema = Type.Object({
  target: Type.Union([Type.Literal('cases'), Type.Literal('key-persons')]),
  format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]),
  headers: Type.Array(Type.String()),
  fields: Type.Array(LedgerFieldSchema),
  mapping: Mapping,
  ownExport: Type.Boolean({ description: 'The headers are those of our own export: no mapping step needed' }),
  missingFields: Type.Array(Type.String(), { description: 'Required fields (or "location") without a column; rows are checked once they have one' }),
  crs: Type.String(),
  committed: Type.Boolean(),
  counts: Type.Object({ rows: Type.Integer(), accepted: Type.Integer(), refused: Type.Integer() }),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'Row number in the sheet (1 = first row)' }),
      status: Type.Union([Type.Literal('accepted'), Type.Literal('refused')]),
      reasons: Type.Array(Type.String()),
      notes: Type.Array(Type.String()),
      summary: Type.Record(Type.String(), Type.String(), { description: 'Masked: no phone, address or exact household point; names reduced to the surname' }),
      location: Type.Union([
        Type.Object({ method: Type.String(), grid: Type.Union([Type.String(), Type.Null()]) }),
        Type.Null(),
      ]),
    }),
  ),
})

/** Parameters of an import request, sent as form fields beside the file. */
export const LEDGER_OPTION_FIELDS = ['mapping', 'crs', 'kind'] as const

/** The report as the client receives it (the API contract, imported by the client as a type). */
export type LedgerReportDto = Static<typeof LedgerReportSchema>
