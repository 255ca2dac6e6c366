import { describe, expect, it } from 'vitest'
import { CREDENTIAL_CACHE_MS, CREDENTIAL_REFRESH_AFTER_MS, CredentialCache, type CredentialLookup } from '../../server/core/auth/credential-cache.ts'
import type { UserRecord } from '../../server/core/auth/users.repository.ts'

const user = { id: 7, username: 'li', role: 'leader', townId: 1, disabled: false } as unknown as UserRecord
const found = (id = 1): CredentialLookup => ({ resolved: { user, credential: { kind: 'token', id, issuedBy: null } }, endsAtMs: Date.now() + 3_600_000 })

/** A lookup the test answers when it wants, counting how often it was asked. */
function gatedLookup() {
  const gates: Array<{ answer: (value: CredentialLookup) => void; fail: (error: Error) => void }> = []
  const lookup = () => new Promise<CredentialLookup>((answer, fail) => gates.push({ answer, fail }))
  return { lookup, gates }
}

describe('CredentialCache', () => {
  it('sends concurrent requests with the same credential to the database once', async () => {
    const cache = new CredentialCache()
    const { lookup, gates } = gatedLookup()
    const requests = Array.from({ length: 50 }, () => cache.resolve('h', lookup))
    expect(gates).toHaveLength(1)
    gates[0].answer(found())
    const answers = await Promise.all(requests)
    expect(answers.every((answer) => answer.resolved.credential.id === 1)).toBe(true)
    await cache.resolve('h', lookup)
    expect(gates).toHaveLength(1)
  })

  it('shares a refusal with the requests that waited for it, and remembers none', async () => {
    const cache = new CredentialCache()
    const { lookup, gates } = gatedLookup()
    const requests = [cache.resolve('h', lookup), cache.resolve('h', lookup)]
    gates[0].fail(new Error('revoked'))
    for (const request of requests) await expect(request).rejects.toThrow('revoked')
    void cache.resolve('h', lookup).catch(() => {})
    expect(gates).toHaveLength(2)
  })

  it('neither remembers nor lets anyone join a lookup that was running when credentials ended', async () => {
    const cache = new CredentialCache()
    const { lookup, gates } = gatedLookup()
    const before = cache.resolve('h', lookup)
    cache.forget({ userId: user.id })
    const after = cache.resolve('h', lookup)
    expect(gates).toHaveLength(2)
    gates[0].answer(found())
    await before
    gates[1].fail(new Error('revoked'))
    await expect(after).rejects.toThrow('revoked')
    void cache.resolve('h', lookup).catch(() => {})
    expect(gates).toHaveLength(3)
  })

  it('never trusts a credential past its own end', async () => {
    const cache = new CredentialCache()
    let lookups = 0
    const ending = async (): Promise<CredentialLookup> => ({ ...found(), endsAtMs: Date.now() - 1 + (lookups++ === 0 ? 0 : CREDENTIAL_CACHE_MS) })
    await cache.resolve('h', ending)
    await cache.resolve('h', ending)
    expect(lookups).toBe(2)
  })

  it('checks an ageing token again in the background and drops it when the check refuses it', async () => {
    const cache = new CredentialCache()
    const { lookup, gates } = gatedLookup()
    const started = Date.now()
    const first = cache.resolve('h', lookup, { refreshAhead: true })
    gates[0].answer(found())
    await first
    const realNow = Date.now
    try {
      Date.now = () => started + CREDENTIAL_REFRESH_AFTER_MS + 1
      // Served at once from the entry; the check runs behind it.
      expect((await cache.resolve('h', lookup, { refreshAhead: true })).looked).toBeUndefined()
      expect(gates).toHaveLength(2)
      await cache.resolve('h', lookup, { refreshAhead: true })
      expect(gates).toHaveLength(2)
      gates[1].fail(new Error('revoked'))
      await new Promise((resolve) => setTimeout(resolve, 0))
      const next = cache.resolve('h', lookup, { refreshAhead: true })
      expect(gates).toHaveLength(3)
      gates[2].fail(new Error('revoked'))
      await expect(next).rejects.toThrow('revoked')
    } finally {
      Date.now = realNow
    }
  })
})
