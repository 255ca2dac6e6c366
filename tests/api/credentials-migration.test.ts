import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { migrate, MIGRATIONS_DIR } from '../../server/core/db/migrate.ts'
import { adminQuery, withDatabase } from '../setup/template.ts'
import { openBlankEngine } from '../support/blank-database.ts'

/**
 * Migration 0011 on a database that already holds users, a session, a token
 * that never expired and audit entries (an upgrade, not a fresh install).
 */
const url = process.env.TEST_DATABASE_URL
const databaseName = `gridatlas_mig_${randomBytes(5).toString('hex')}`
let engine: DbEngine
let dir: string
const upgradeStart = Date.now()

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gridatlas-migrations-'))
  for (const name of readdirSync(MIGRATIONS_DIR)) {
    if (name.endsWith('.sql') && name < '0011') copyFileSync(join(MIGRATIONS_DIR, name), join(dir, name))
  }
  if (url) await adminQuery(url, `CREATE DATABASE ${databaseName}`)
  engine = url ? await openEngine({ databaseUrl: withDatabase(url, databaseName), poolSize: 2 }) : await openBlankEngine()
  await migrate(engine, dir)
  const db = engine.db
  const { id: userId } = await db
    .insertInto('users')
    .values({ username: 'old-user', password_hash: 'scrypt$x', role: 'leader', display_name: null, station_key: null, staff_id: null, created_by: null })
    .returning('id')
    .executeTakeFirstOrThrow()
  await sql`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ('old-session', ${userId}, now() + interval '7 days')`.execute(db)
  await sql`INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) VALUES (${userId}, 'forever', 'old-token', 'gat_old')`.execute(db)
  await sql`INSERT INTO audit_log (user_id, username, role, action, subject_kind) VALUES (${userId}, 'old-user', 'leader', 'list', 'key_person')`.execute(db)
  for (const name of readdirSync(MIGRATIONS_DIR)) if (name.startsWith('0011')) copyFileSync(join(MIGRATIONS_DIR, name), join(dir, name))
  await migrate(engine, dir)
  // Ten migrations on a new embedded PostgreSQL: ~30 s alone, past 120 s on a loaded machine, before the blank folder brought PostGIS installed (~8 s of them).
}, 300_000)

afterAll(async () => {
  await engine?.close()
  if (url) await adminQuery(url, `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`)
  rmSync(dir, { recursive: true, force: true })
})

describe('migration 0011 on an existing database', () => {
  it('gives a token that never expired an expiry 90 days from the upgrade', async () => {
    const token = await engine.db.selectFrom('api_tokens').select(['expires_at', 'issued_by']).executeTakeFirstOrThrow()
    const days = (token.expires_at.getTime() - upgradeStart) / 86_400_000
    expect(days).toBeGreaterThan(89.9)
    expect(days).toBeLessThan(90.1)
    expect(token.issued_by).toBeNull()
    await expect(sql`INSERT INTO api_tokens (user_id, name, token_hash, token_prefix) SELECT id, 'x', 'h2', 'p' FROM users`.execute(engine.db)).rejects.toThrow()
  })

  it('gives existing sessions an id and a last use, and keeps them valid', async () => {
    const session = await engine.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow()
    expect(Number(session.id)).toBeGreaterThan(0)
    expect(session.last_seen_at).toBeInstanceOf(Date)
    expect(session.token_hash).toBe('old-session')
    await expect(
      sql`INSERT INTO sessions (token_hash, user_id, expires_at) SELECT 'old-session', id, now() FROM users`.execute(engine.db),
    ).rejects.toThrow()
  })

  it('keeps the audit log append-only, with its old entries and the new columns', async () => {
    const entry = await engine.db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow()
    expect(entry).toMatchObject({ username: 'old-user', credential_kind: null, credential_id: null, credential_issued_by: null })
    await expect(sql`UPDATE audit_log SET username = 'someone-else'`.execute(engine.db)).rejects.toThrow(/append-only/)
    await expect(sql`DELETE FROM audit_log`.execute(engine.db)).rejects.toThrow(/append-only/)
    await sql`INSERT INTO audit_log (username, role, action, subject_kind) VALUES ('x', 'system', 'revoke', 'user')`.execute(engine.db)
    await expect(sql`INSERT INTO audit_log (username, role, action, subject_kind) VALUES ('x', 'system', 'nonsense', 'user')`.execute(engine.db)).rejects.toThrow()
  })
})
