import type { FastifyRequest } from 'fastify'
import type { Db } from '../db/database.ts'
import { HttpError } from '../http/http-error.ts'
import { currentUser } from '../auth/auth.plugin.ts'
import type { AuditActor } from './audit.repository.ts'

/** The audit actor of a request: its signed-in user, the credential that acted and the client address. */
export function auditActor(request: FastifyRequest): AuditActor {
  const user = currentUser(request)
  return { userId: user.id, username: user.username, role: user.role, ip: request.ip ?? null, credential: request.credential }
}

/** The actor of jobs the server runs on its own (retention). */
export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system', role: 'system', ip: null }

/**
 * Runs `work` in one transaction. `work` throws to roll everything back, or
 * returns an {@link HttpError} to commit what it wrote (e.g. the audit entry
 * of a refused access) and answer with that error.
 */
export async function runAudited<T>(db: Db, work: (trx: Db) => Promise<T | HttpError>): Promise<T> {
  const result = await db.transaction().execute(work)
  if (result instanceof HttpError) throw result
  return result
}
