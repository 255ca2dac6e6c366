import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../support/test-app.ts'

/**
 * The app's route schemas are compiled on first use (a warm `npm start`
 * no longer compiles them before answering, issue 11); every one of them
 * must still compile, as it had to when they were compiled at start.
 */
describe('route schemas of the whole app', () => {
  let t: TestApp

  beforeAll(async () => {
    t = await createTestApp()
  })

  afterAll(async () => {
    await t?.close()
  })

  it('are left to compile when the app is ready, and all compile', async () => {
    const pendingAtReady = t.app.schemaCompilations.pendingCount
    expect(pendingAtReady).toBeGreaterThan(200)
    const leader = await t.signIn('leader')
    const answer = await t.app.inject({ url: '/api/collections/fine-grids/items?limit=2', headers: leader.headers })
    expect(answer.statusCode).toBe(200)
    expect(answer.json().features).toHaveLength(2)
    expect(t.app.schemaCompilations.pendingCount).toBeLessThan(pendingAtReady)
    expect(() => t.app.schemaCompilations.compileAll()).not.toThrow()
    expect(t.app.schemaCompilations.pendingCount).toBe(0)
  })
})
