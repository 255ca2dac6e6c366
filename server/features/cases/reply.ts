import type { FastifyInstance, FastifyReply } from 'fastify'
import { toCaseDto } from './case-dto.ts'
import type { CaseRow } from './cases.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'

/** Sets `ETag: "<version>"` and returns the case's API view for `user`. */
export function replyWithCase(reply: FastifyReply, row: CaseRow, user: UserRecord) {
  reply.header('etag', `"${row.version}"`)
  return toCaseDto(row, user)
}

/** Tells live listeners that a case was registered or changed (call after commit). */
export function publishCaseEvent(app: FastifyInstance, row: CaseRow, action: string): void {
  app.live.publish({
    kind: row.kind,
    id: row.id,
    status: row.status,
    action,
    at: row.updated_at.toISOString(),
    scope: { villageId: row.village_id, baseGridId: row.base_grid_id, fineGridId: row.fine_grid_id, registeredBy: row.registered_by, townId: row.town_id },
  })
}
