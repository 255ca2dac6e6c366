import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, hazardFeature } from '../support/cases.ts'
import { gridSpots, registerPerson, type GridSpot } from '../support/key-persons.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let address: string
let own: GridSpot
let elsewhere: GridSpot
let users: Record<'leader' | 'dispatcher' | 'gridWorker' | 'otherGridWorker', TestUser>

interface Received {
  event: string
  data: Record<string, unknown>
}

/** An open SSE connection that collects every event until `until` is satisfied. */
async function listen(user: TestUser) {
  const controller = new AbortController()
  const response = await fetch(`${address}/api/events/stream`, { headers: user.headers, signal: controller.signal })
  expect(response.status).toBe(200)
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  const received: Received[] = []
  let buffer = ''
  return {
    /** Reads until `done(received)` holds (the test's own timeout bounds the wait). */
    async until(done: (events: Received[]) => boolean) {
      while (!done(received)) {
        const { value, done: ended } = await reader.read()
        if (ended) break
        buffer += decoder.decode(value, { stream: true })
        let split: number
        while ((split = buffer.indexOf('\n\n')) >= 0) {
          const lines = buffer.slice(0, split).split('\n')
          buffer = buffer.slice(split + 2)
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7)
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6)
          if (event && data) received.push({ event, data: JSON.parse(data) })
        }
      }
      return received
    },
    async close() {
      controller.abort()
      await reader.cancel().catch(() => {})
    },
  }
}

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  const spots = await gridSpots(t, 40)
  own = spots[0]
  elsewhere = spots.find((spot) => spot.villageId !== own.villageId)!
  users = {
    leader: await t.signIn('leader'),
    dispatcher: await t.signIn('dispatcher'),
    gridWorker: await t.signIn('grid_worker', { gridIds: [own.baseGridId] }),
    otherGridWorker: await t.signIn('grid_worker', { gridIds: [elsewhere.baseGridId] }),
  }
  address = await t.app.listen({ port: 0, host: '127.0.0.1' })
})
afterAll(() => t?.close())

const isCase = (id: number) => (events: Received[]) => events.some((e) => e.event === 'case' && e.data.id === id)

describe('live events are filtered per subscriber', () => {
  it('gives grid workers their grids’ cases and key persons only, leaders every case and key persons as grid counts', async () => {
    const worker = await listen(users.gridWorker)
    const otherWorker = await listen(users.otherGridWorker)
    const leader = await listen(users.leader)
    const dispatcher = await listen(users.dispatcher)
    const register = async (spot: GridSpot) => (await c.register(users.dispatcher, 'hazards', hazardFeature(spot))).json().id as number

    const hazardElsewhere = await register(elsewhere)
    const personOwn = await registerPerson(t, users.dispatcher, own)
    const personElsewhere = await registerPerson(t, users.dispatcher, elsewhere)
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/key-persons/${personOwn.id}`,
      headers: { ...users.dispatcher.headers, 'if-match': `"${personOwn.version}"` },
      payload: { status: 'away' },
    })
    expect(patched.statusCode, patched.body).toBe(200)
    const visit = await t.app.inject({ method: 'POST', url: `/api/key-persons/${personOwn.id}/visits`, headers: users.gridWorker.headers, payload: { kind: 'home' } })
    expect(visit.statusCode, visit.body).toBe(201)
    const hazardOwn = await register(own)
    const lastElsewhere = await register(elsewhere)

    const workerEvents = await worker.until(isCase(hazardOwn))
    expect(workerEvents).toEqual([
      { event: 'key_person', data: { id: personOwn.id, status: 'in_management', action: 'register', at: expect.any(String) } },
      { event: 'key_person', data: { id: personOwn.id, status: 'away', action: 'update', at: expect.any(String) } },
      { event: 'key_person', data: { id: personOwn.id, status: 'away', action: 'visit', at: expect.any(String) } },
      { event: 'case', data: { kind: 'hazard', id: hazardOwn, status: 'reported', action: 'register', at: expect.any(String) } },
    ])

    const otherEvents = await otherWorker.until(isCase(lastElsewhere))
    expect(otherEvents.map((e) => [e.event, e.data.id])).toEqual([
      ['case', hazardElsewhere],
      ['key_person', personElsewhere.id],
      ['case', lastElsewhere],
    ])

    const leaderEvents = await leader.until(isCase(lastElsewhere))
    expect(leaderEvents.filter((e) => e.event === 'case').map((e) => e.data.id)).toEqual([hazardElsewhere, hazardOwn, lastElsewhere])
    const counts = leaderEvents.filter((e) => e.event !== 'case')
    // One "counts may have changed" per change, with its time only: no grid, village or action that would
    // tell a counts-only reader which household was just registered or visited.
    expect(counts.map((e) => e.event)).toEqual(['key_person_count', 'key_person_count', 'key_person_count', 'key_person_count'])
    for (const event of counts) {
      expect(Object.keys(event.data).sort()).toEqual(['at'])
    }

    const dispatcherEvents = await dispatcher.until(isCase(lastElsewhere))
    expect(dispatcherEvents.filter((e) => e.event === 'key_person').map((e) => e.data.id)).toEqual([personOwn.id, personElsewhere.id, personOwn.id, personOwn.id])
    expect(dispatcherEvents.filter((e) => e.event === 'case')).toHaveLength(3)
    for (const e of dispatcherEvents) expect(e.data).not.toHaveProperty('scope')

    await Promise.all([worker.close(), otherWorker.close(), leader.close(), dispatcher.close()])
  })
})
