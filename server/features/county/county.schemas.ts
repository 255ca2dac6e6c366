import { Type, type Static } from 'typebox'
import { CaseEventSchema } from '../cases/index.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])
/** A required text with at least one non-blank character. */
export const Text = (description: string) => Type.String({ minLength: 1, maxLength: 2000, pattern: '\\S', description })

/** Escalation statuses. */
export const EscalationStatusSchema = Type.Enum(['pending', 'accepted', 'returned', 'closed'])

/** A town as the county views name it. */
export const TownRefSchema = Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) })

/** One escalation (事件上报) with what the queue shows of its case. */
export const EscalationSchema = Type.Object({
  id: Type.Integer(),
  status: EscalationStatusSchema,
  reason: Type.String(),
  escalatedAt: Type.String(),
  escalatedBy: Type.String({ description: 'Username of the town dispatcher who escalated' }),
  acceptedAt: Nullable(Type.String()),
  returnedAt: Nullable(Type.String()),
  instructions: Nullable(Type.String({ description: 'What the county asks the town to do (returned)' })),
  closedAt: Nullable(Type.String()),
  closingNote: Nullable(Type.String()),
  finishedBy: Nullable(Type.String({ description: 'Username of the county user who returned or closed it' })),
  version: Type.Integer({ description: 'Version of the escalation (its ETag); send it as If-Match with the next step' }),
  allowedActions: Type.Array(Type.String(), { description: 'Steps the county may take now' }),
  town: TownRefSchema,
  case: Type.Object({
    id: Type.Integer(),
    kind: Type.Enum(['hazard', 'dispute']),
    category: Type.String(),
    status: Type.String(),
    tier: Nullable(Type.String()),
    severity: Nullable(Type.String()),
    description: Type.String(),
    reportedAt: Type.String(),
    deadlineAt: Type.String(),
    closedAt: Nullable(Type.String()),
    village: Type.Object({ id: Type.Integer(), name: Type.String(), nameEn: Nullable(Type.String()) }),
  }),
})
export type EscalationDto = Static<typeof EscalationSchema>

/** One escalation with the case's whole ledger (台账), oldest entry first. */
export const EscalationDetailSchema = Type.Intersect([EscalationSchema, Type.Object({ ledger: Type.Array(CaseEventSchema) })])
