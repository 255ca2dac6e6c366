import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.ts'
import type { Role } from '../../server/db/tables/auth.table.ts'
import { createUser } from '../../server/services/users.service.ts'
import { issueApiToken } from '../../server/services/tokens.service.ts'
import { openTestDatabase, type TestDatabase } from './test-database.ts'
import { GEODATA_DIR, ROOT } from '../setup/template.database.ts'

/** Password of every user made by {@link TestApp.signIn}. */
export const TEST_PASSWORD = 'correct-horse-battery'

/** A signed-in test user. */
export interface TestUser {
  id: number
  username: string
  role: Role
  /** `cookie` header value of the session. */
  cookie: string
  /** Headers to send with requests as this user. */
  headers: Record<string, string>
}

/** The app on a fresh database copy, with helpers to sign in as each role. */
export interface TestApp {
  app: FastifyInstance
  database: TestDatabase
  /** Creates a user with `role` and signs them in through the API. */
  signIn(role: Role, options?: { gridIds?: number[]; username?: string }): Promise<TestUser>
  /** Issues an API token for a user. */
  tokenFor(user: TestUser): Promise<string>
  close(): Promise<void>
}

let counter = 0

/**
 * Origin of `app.inject` requests (light-my-request sends `Host: localhost:80`).
 * A browser sends it with every change it makes; cookie requests without it are
 * refused as possibly cross-site, so test users carry it like a browser would.
 */
export const INJECT_ORIGIN = 'http://localhost'

/** Headers of a same-origin browser request with the session `cookie`. */
export function sessionHeaders(cookie: string): Record<string, string> {
  return { cookie, origin: INJECT_ORIGIN }
}

/** Builds the app on a fresh copy of the template database. */
export async function createTestApp(options: { withClient?: boolean } = {}): Promise<TestApp> {
  const database = await openTestDatabase()
  const app = await buildApp({
    engine: database.engine,
    clientDir: options.withClient ? (process.env.TEST_CLIENT_DIR ?? `${ROOT}dist/client`) : undefined,
    geodataDir: options.withClient ? GEODATA_DIR : undefined,
    logLevel: 'silent',
  })
  return {
    app,
    database,
    async signIn(role, signInOptions = {}) {
      counter += 1
      const username = signInOptions.username ?? `${role}-${process.pid}-${counter}`
      const user = await database.engine.db
        .transaction()
        .execute((trx) => createUser(trx, { username, password: TEST_PASSWORD, role, gridIds: signInOptions.gridIds }, null))
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: TEST_PASSWORD } })
      if (response.statusCode !== 200) throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`)
      const setCookie = String(response.headers['set-cookie'])
      const cookie = setCookie.split(';')[0]
      return { id: user.id, username, role, cookie, headers: sessionHeaders(cookie) }
    },
    async tokenFor(user) {
      return (await issueApiToken(database.engine.db, user.id, 'test')).token
    },
    async close() {
      await app.close()
      await database.dispose()
    },
  }
}
