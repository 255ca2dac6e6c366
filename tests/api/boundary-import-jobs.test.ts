import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'

let t: TestApp
let admin: TestUser
const restarted: FastifyInstance[] = []

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.signIn('admin')
})
afterAll(async () => {
  for (const app of restarted) await app.close()
  await t?.close()
})

const db = () => t.database.engine.db

/** The same database served by a new app: what a restarted server process sees (nothing in memory). */
async function restart(): Promise<FastifyInstance> {
  const app = await buildApp({ engine: t.database.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
  restarted.push(app)
  return app
}

function getJob(app: FastifyInstance, id: string, lang = 'zh') {
  return app.inject({ url: `/api/boundaries/imports/${id}`, headers: { ...admin.headers, 'accept-language': lang } })
}

/** A job row as a process killed in the middle of an import leaves it. */
async function leftRunning(startedMinutesAgo: number): Promise<string> {
  const id = randomUUID()
  await sql`INSERT INTO boundary_import_jobs (id, status, phase, processed, total, format, level, source_crs, started_by, started_at)
    VALUES (${id}::uuid, 'running', 'checking', 250, 900, 'geojson', 'fine-grids', 'wgs84', ${admin.username},
            now() - make_interval(mins => ${startedMinutesAgo}))`.execute(db())
  return id
}

describe('boundary import jobs across a restart', () => {
  it('keeps a finished job, its progress and its report readable after a restart', async () => {
    const exported = await t.app.inject({ url: '/api/boundaries/export/fine-grids.geojson', headers: admin.headers })
    expect(exported.statusCode).toBe(200)
    const started = await t.app.inject({
      method: 'POST',
      url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=%E9%87%8D%E5%90%AF%E6%B5%8B%E8%AF%95',
      headers: { ...admin.headers, 'content-type': 'application/octet-stream' },
      payload: exported.rawPayload,
    })
    expect(started.statusCode, started.body.slice(0, 300)).toBe(202)
    let job = started.json()
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20))
      job = (await getJob(t.app, job.id)).json()
    }
    expect(job.status, JSON.stringify(job.error)).toBe('done')
    expect(job.report.unchanged.length).toBe(job.total)

    const after = await getJob(await restart(), job.id)
    expect(after.statusCode, after.body.slice(0, 300)).toBe(200)
    expect(after.json()).toEqual(job)
  })

  it('marks a job interrupted by a restart failed, with a reason in the reader\'s language', async () => {
    const id = await leftRunning(60)
    const app = await restart()
    const zh = await getJob(app, id)
    expect(zh.statusCode).toBe(200)
    expect(zh.json()).toMatchObject({ id, status: 'failed', phase: 'failed', processed: 250, total: 900, report: null })
    expect(zh.json().error).toEqual({ code: 'boundary_import_interrupted', message: expect.stringContaining('重新上传') })
    expect(zh.json().finishedAt).not.toBeNull()
    const en = await getJob(app, id, 'en')
    expect(en.json().error.message).toMatch(/interrupted.*upload the file again/i)
  })

  it('fails interrupted jobs at start-up already, before anyone asks', async () => {
    const id = await leftRunning(60)
    await restart()
    const { rows } = await sql<{ status: string; error_code: string }>`
      SELECT status, error_code FROM boundary_import_jobs WHERE id = ${id}::uuid`.execute(db())
    expect(rows[0]).toEqual({ status: 'failed', error_code: 'boundary_import_interrupted' })
  })

  it.skipIf(ENGINE_UNDER_TEST !== 'postgres')('leaves running a job whose import is alive in another process', async () => {
    const id = await leftRunning(60)
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    // Another server process's import transaction holds the job's advisory lock.
    const { lockImportJob } = await import('../../server/features/areas/io/import-jobs.repository.ts')
    let locked!: () => void
    const lockTaken = new Promise<void>((resolve) => (locked = resolve))
    const other = db().transaction().execute(async (trx) => {
      await lockImportJob(trx, id)
      locked()
      await held
    })
    await lockTaken
    try {
      const app = await restart()
      expect((await getJob(app, id)).json()).toMatchObject({ status: 'running', processed: 250 })
    } finally {
      release()
      await other
    }
  })
})
