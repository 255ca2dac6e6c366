import type { FastifyInstance } from 'fastify'
import { buildApp, type BuildAppOptions } from '../../server/app.ts'
import type { Role } from '../../server/core/db/tables/auth.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { issueApiToken } from '../../server/features/users/tokens.service.ts'
import type { LoginPolicy } from '../../server/features/users/login-policy.ts'
import { setPasswordHashCost, TEST_SCRYPT_COST } from '../../server/features/users/password-hash.ts'
import { openTestDatabase, type TestDatabase } from './test-database.ts'
import { GEODATA_DIR, ROOT } from '../setup/template.ts'

import { TEST_PASSWORD } from './test-password.ts'

/** Password of every user made by {@link TestApp.signIn}. */
export { TEST_PASSWORD }

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
  signIn(role: Role, options?: { gridIds?: number[]; username?: string; townId?: number | null }): Promise<TestUser>
  /** Issues an API token for a user. */
  tokenFor(user: TestUser): Promise<string>
  close(): Promise<void>
}

let counter = 0

// Test files create hundreds of users; at OWASP's scrypt cost (~0.5 s, 128 MiB
// each) that alone would take minutes. New hashes in tests use a weak cost
// instead; setPasswordHashCost refuses it outside vitest, so production cannot.
setPasswordHashCost(TEST_SCRYPT_COST)

/** Options of {@link createTestApp}. */
export interface TestAppOptions {
  withClient?: boolean
  /**
   * Sign-in protection for this app. Default: administrators sign in with a
   * password only (`adminSecondFactor: 'off'`), so {@link TestApp.signIn} works
   * for every role; tests of the second factor pass `{ adminSecondFactor: 'required' }`.
   */
  login?: Partial<LoginPolicy>
  /** Other buildApp options (session lifetimes, live-stream re-check…). */
  app?: Partial<BuildAppOptions>
}

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
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase()
  const app = await buildApp({
    engine: database.engine,
    clientDir: options.withClient ? (process.env.TEST_CLIENT_DIR ?? `${ROOT}dist/client`) : undefined,
    geodataDir: options.withClient ? GEODATA_DIR : undefined,
    logLevel: 'silent',
    ...options.app,
    login: { adminSecondFactor: 'off', ...options.login },
  })
  return {
    app,
    database,
    async signIn(role, signInOptions = {}) {
      counter += 1
      const username = signInOptions.username ?? `${role}-${process.pid}-${counter}`
      const user = await database.engine.db
        .transaction()
        .execute((trx) => createUser(trx, { username, password: TEST_PASSWORD, role, gridIds: signInOptions.gridIds, townId: signInOptions.townId }, null))
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
