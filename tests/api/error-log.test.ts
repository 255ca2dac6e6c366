import { Writable } from 'node:stream'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts'

/** Made-up personal values that a failing statement carries as bound parameters. */
const ID_NUMBER = '110101199003077777'
const PHONE = '13912345678'

let database: TestDatabase
let app: FastifyInstance
let logged = ''

beforeAll(async () => {
  database = await openTestDatabase()
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logged += String(chunk)
      done()
    },
  })
  app = await buildApp({ engine: database.engine, logLevel: 'error', logStream })
})
afterAll(async () => {
  await app?.close()
  await database?.dispose()
})

/** Runs `statement`, expects it to fail, logs the error as the error handler does, and returns that log line. */
async function logFailure(statement: () => Promise<unknown>): Promise<string> {
  const error = await statement().then(
    () => undefined,
    (caught: unknown) => caught,
  )
  expect(error).toBeInstanceOf(Error)
  logged = ''
  app.log.error({ err: error }, 'unhandled error')
  return logged
}

describe('error log', () => {
  it('carries no bound parameters of a failed statement, only its type, message and SQLSTATE (class 22)', async () => {
    const line = await logFailure(() => sql`SELECT ${ID_NUMBER}::int AS n WHERE ${PHONE} <> ''`.execute(database.engine.db))
    expect(line).toMatch(/"code":"22/)
    expect(line).not.toContain(ID_NUMBER)
    expect(line).not.toContain(PHONE)
  })

  it('carries no row values from a constraint violation detail', async () => {
    const insert = () =>
      sql`INSERT INTO users (username, password_hash, role, display_name) VALUES (${PHONE}, 'x', 'leader', ${ID_NUMBER})`.execute(database.engine.db)
    await insert()
    const line = await logFailure(insert)
    expect(line).toContain('23505')
    expect(line).not.toContain(PHONE)
    expect(line).not.toContain(ID_NUMBER)
  })

  it('carries no query values of a Kysely "no result" error', async () => {
    const line = await logFailure(() =>
      database.engine.db.selectFrom('users').select('id').where('username', '=', ID_NUMBER).executeTakeFirstOrThrow(),
    )
    expect(line).toContain('NoResultError')
    expect(line).not.toContain(ID_NUMBER)
  })
})
