import { allowedActions } from './workflow.ts'
import { LEAD_WORKFLOW } from './lead-workflow.ts'
import type { LeadRow } from './leads.repository.ts'
import type { LeadDto } from './cases.schemas.ts'

/** The API view of a lead. */
export function toLeadDto(row: LeadRow): LeadDto {
  return {
    id: row.id,
    status: row.status,
    allowedActions: allowedActions(LEAD_WORKFLOW, row.status),
    department: row.department,
    category: row.category,
    description: row.description,
    lon: row.lon,
    lat: row.lat,
    villageId: row.village_id,
    villageName: row.village_name,
    baseGridId: row.base_grid_id,
    fineGridId: row.fine_grid_id,
    receivedAt: row.received_at.toISOString(),
    receivedBy: row.received_by,
    verifiedAt: row.verified_at?.toISOString() ?? null,
    verificationNote: row.verification_note,
    dismissedReason: row.dismissed_reason,
    closedAt: row.closed_at?.toISOString() ?? null,
    convertedCase: row.converted_case,
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  }
}
