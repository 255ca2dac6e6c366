import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../server/app.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

/** Open streams are re-checked this often here (30 s in production). */
const RECHECK_MS = 300

let t: TestApp
let address: string
let security: TestUser

beforeAll(async () => {
  t = await createTestApp({ app: { liveStreamRecheckMs: RECHECK_MS } })
  security = await t.signIn('security_admin')
  address = await t.app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(() => t?.close())

/** Opens `/api/events/stream` on `base`; `ended` resolves with the milliseconds the stream stayed open after `mark()`. */
async function openStream(headers: Record<string, string>, base = address) {
  const response = await fetch(`${base}/api/events/stream`, { headers })
  expect(response.status).toBe(200)
  const reader = response.body!.getReader()
  let markedAt = 0
  const ended = (async () => {
    for (;;) {
      const { done } = await reader.read()
      if (done) return Date.now() - markedAt
    }
  })()
  await new Promise((resolve) => setTimeout(resolve, 50))
  return {
    mark() {
      markedAt = Date.now()
    },
    /** Whether the stream ended within `ms`. */
    async endsWithin(ms: number): Promise<boolean> {
      const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), ms))
      const result = await Promise.race([ended.then(() => true as const), timeout])
      if (!result) await reader.cancel().catch(() => {})
      return result
    },
  }
}

async function tokenOf(user: TestUser): Promise<{ id: number; token: string }> {
  const response = await t.app.inject({ method: 'POST', url: '/api/auth/tokens', headers: user.headers, payload: { name: 'stream' } })
  return response.json()
}

describe('an open live stream ends with its credential', () => {
  it('ends at sign-out', async () => {
    const leader = await t.signIn('leader')
    const stream = await openStream(leader.headers)
    stream.mark()
    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: leader.headers })
    expect(await stream.endsWithin(RECHECK_MS / 2)).toBe(true)
  })

  it('ends when its token is revoked, and not when another credential of the user is', async () => {
    const leader = await t.signIn('leader')
    const token = await tokenOf(leader)
    const byToken = await openStream({ authorization: `Bearer ${token.token}` })
    const bySession = await openStream(leader.headers)
    byToken.mark()
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/auth/tokens/${token.id}`, headers: leader.headers })
    expect(revoked.statusCode).toBe(204)
    expect(await byToken.endsWithin(RECHECK_MS / 2)).toBe(true)
    expect(await bySession.endsWithin(3 * RECHECK_MS)).toBe(false)
  })

  it('ends all of a user’s streams when they are disabled, their password is reset or their role changes', async () => {
    for (const change of [
      (id: number) => ({ method: 'PATCH' as const, url: `/api/users/${id}`, payload: { disabled: true } }),
      (id: number) => ({ method: 'POST' as const, url: `/api/users/${id}/password`, payload: { password: 'another-long-password' } }),
      (id: number) => ({ method: 'PATCH' as const, url: `/api/users/${id}`, payload: { role: 'leader' } }),
    ]) {
      const user = await t.signIn('dispatcher')
      const token = await tokenOf(user)
      const streams = [await openStream(user.headers), await openStream({ authorization: `Bearer ${token.token}` })]
      for (const stream of streams) stream.mark()
      const response = await t.app.inject({ ...change(user.id), headers: security.headers })
      expect(response.statusCode, response.body).toBe(200)
      for (const stream of streams) expect(await stream.endsWithin(RECHECK_MS / 2)).toBe(true)
    }
  })

  it('ends when the session goes idle or reaches its end (periodic re-check)', async () => {
    const leader = await t.signIn('leader')
    const idle = await openStream(leader.headers)
    idle.mark()
    const db = t.database.engine.db
    await db.updateTable('sessions').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', leader.id).execute()
    expect(await idle.endsWithin(4 * RECHECK_MS)).toBe(true)
  })

  it('ends when another server process on the same database revokes the credential', async () => {
    const other: FastifyInstance = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' }, liveStreamRecheckMs: RECHECK_MS })
    try {
      const otherAddress = await other.listen({ port: 0, host: '127.0.0.1' })
      const leader = await t.signIn('leader')
      const token = await tokenOf(leader)
      const stream = await openStream({ authorization: `Bearer ${token.token}` }, otherAddress)
      stream.mark()
      const revoked = await t.app.inject({ method: 'DELETE', url: `/api/users/${leader.id}/tokens/${token.id}`, headers: security.headers })
      expect(revoked.statusCode).toBe(204)
      expect(await stream.endsWithin(4 * RECHECK_MS)).toBe(true)
    } finally {
      await other.close()
    }
  })
})
