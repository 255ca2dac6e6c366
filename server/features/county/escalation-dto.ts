import type { EscalationRow } from './escalations.repository.ts'
import type { EscalationDto } from './county.schemas.ts'
import { allowedEscalationActions } from './escalation-workflow.ts'

const iso = (value: Date | null) => (value === null ? null : value.toISOString())

/** The API view of an escalation. */
export function toEscalationDto(row: EscalationRow): EscalationDto {
  return {
    id: row.id,
    status: row.status,
    reason: row.reason,
    escalatedAt: row.escalated_at.toISOString(),
    escalatedBy: row.escalated_by_name,
    acceptedAt: iso(row.accepted_at),
    returnedAt: iso(row.returned_at),
    instructions: row.instructions,
    closedAt: iso(row.closed_at),
    closingNote: row.closing_note,
    finishedBy: row.finished_by_name,
    version: row.version,
    allowedActions: allowedEscalationActions(row.status),
    town: { id: row.town_id, name: row.town_name, nameEn: row.town_name_en },
    case: {
      id: row.case_id,
      kind: row.kind,
      category: row.category,
      status: row.case_status,
      tier: row.tier,
      severity: row.severity,
      description: row.description,
      reportedAt: row.reported_at.toISOString(),
      deadlineAt: row.deadline_at.toISOString(),
      closedAt: iso(row.case_closed_at),
      village: { id: row.village_id, name: row.village_name, nameEn: row.village_name_en },
    },
  }
}
