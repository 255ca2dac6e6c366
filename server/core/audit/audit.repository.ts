import { sql } from 'kysely'
import type { Db } from '../db/database.ts'
import type { AuditAction } from '../db/tables/audit.ts'

/** Who did something, from where. `userId` is null for the system (e.g. the retention job). */
export interface AuditActor {
  userId: number | null
  username: string
  role: string
  ip: string | null
  /**
   * Which session or token acted, and for a token an administrator issued for
   * this user, that administrator; absent for the system and the CLI.
   */
  credential?: { kind: 'session' | 'token'; id: number; issuedBy: number | null } | null
}

/** What an audit entry records about an action. */
export interface AuditEvent {
  action: AuditAction
  subjectKind: string
  subjectIds: number[]
  fields?: string[]
  reason?: string | null
  detail?: Record<string, unknown> | null
}

/** Filters of a page of audit entries. */
export interface AuditQuery {
  userId?: number
  username?: string
  action?: AuditAction
  subjectKind?: string
  subjectId?: number
  from?: Date
  to?: Date
  /** Only entries written by users acting in one of these roles. */
  onlyRoles?: readonly string[]
  /** No entries written by users acting in one of these roles. */
  exceptRoles?: readonly string[]
  limit: number
  offset: number
}

/** An audit entry as read. */
export interface AuditRow {
  id: number
  at: Date
  userId: number | null
  username: string
  role: string
  action: AuditAction
  subjectKind: string
  subjectIds: Array<number | string>
  fields: string[]
  reason: string | null
  requestIp: string | null
  detail: unknown
  credentialKind: 'session' | 'token' | null
  credentialId: number | null
  credentialIssuedBy: number | null
}

/** Appends one audit entry. */
export async function insertAuditEntry(db: Db, actor: AuditActor, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      user_id: actor.userId,
      username: actor.username,
      role: actor.role,
      action: event.action,
      subject_kind: event.subjectKind,
      subject_ids: sql<number[]>`ARRAY[${sql.join(event.subjectIds.map(Number))}]::bigint[]`,
      fields: sql<string[]>`ARRAY[${sql.join(event.fields ?? [])}]::text[]`,
      reason: event.reason ?? null,
      request_ip: actor.ip,
      detail: event.detail ? JSON.stringify(event.detail) : null,
      credential_kind: actor.credential?.kind ?? null,
      credential_id: actor.credential?.id ?? null,
      credential_issued_by: actor.credential?.issuedBy ?? null,
    })
    .execute()
}

function filtered(db: Db, query: Omit<AuditQuery, 'limit' | 'offset'>) {
  let select = db.selectFrom('audit_log')
  if (query.userId !== undefined) select = select.where('user_id', '=', query.userId)
  if (query.username !== undefined) select = select.where('username', '=', query.username)
  if (query.action !== undefined) select = select.where('action', '=', query.action)
  if (query.subjectKind !== undefined) select = select.where('subject_kind', '=', query.subjectKind)
  if (query.subjectId !== undefined) select = select.where(sql<boolean>`subject_ids @> ARRAY[${query.subjectId}::bigint]`)
  if (query.from !== undefined) select = select.where('at', '>=', query.from)
  if (query.to !== undefined) select = select.where('at', '<=', query.to)
  if (query.onlyRoles !== undefined) select = select.where('role', 'in', [...query.onlyRoles])
  if (query.exceptRoles !== undefined) select = select.where('role', 'not in', [...query.exceptRoles])
  return select
}

/** A page of audit entries, newest first, and the number matched. */
export async function findAuditEntries(db: Db, query: AuditQuery): Promise<{ rows: AuditRow[]; total: number }> {
  const { limit, offset, ...filters } = query
  const rows = await filtered(db, filters)
    .select([
      'id',
      'at',
      'user_id as userId',
      'username',
      'role',
      'action',
      'subject_kind as subjectKind',
      'subject_ids as subjectIds',
      'fields',
      'reason',
      'request_ip as requestIp',
      'detail',
      'credential_kind as credentialKind',
      'credential_id as credentialId',
      'credential_issued_by as credentialIssuedBy',
    ])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(offset)
    .execute()
  const count = await filtered(db, filters)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return { rows, total: Number(count.n) }
}
