import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { sql } from 'kysely'
import { openEngine, type DbEngine } from '../../server/core/db/engine.ts'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { prespawnPglite, takePrespawnedPglite } from '../../server/core/db/pglite-spawn.js'
import { LOCK_FILE_NAME, lockDataDir, unlockDataDir } from '../../server/core/db/data-dir-lock.js'
import { openBlankEngine } from '../support/blank-database.ts'
import { blankDatabaseReady } from '../support/template-ready.ts'

/**
 * A new data folder holding a database already (a copy of the run's blank one):
 * an empty folder made PGlite run initdb, ~3 s more per open.
 */
async function databaseFolder(prefix: string): Promise<string> {
  await blankDatabaseReady()
  const folder = mkdtempSync(join(tmpdir(), prefix))
  cpSync(inject('pgliteBlankDir'), folder, { recursive: true })
  return folder
}

/**
 * The embedded database runs in its own thread (server/core/db/pglite-worker.js).
 * In the main thread, each query blocked the event loop: under 100 connections
 * the server accepted sockets late and clients timed out (issue 9).
 */
describe.skipIf(ENGINE_UNDER_TEST === 'postgres')('embedded database thread', () => {
  let engine: DbEngine

  beforeAll(async () => {
    engine = await openBlankEngine()
  })

  afterAll(async () => {
    await engine?.close()
  })

  it('leaves the event loop free while a long query runs', async () => {
    let timerFired = false
    let timerFiredBeforeAnswer = false
    const timer = setTimeout(() => (timerFired = true), 5)
    // Long enough (hundreds of ms) that a 5 ms timer must come due while it runs.
    const long = sql<{ total: number }>`SELECT sum(g)::bigint AS total FROM generate_series(1, 3000000) AS g`
      .execute(engine.db)
      .then((result) => {
        timerFiredBeforeAnswer = timerFired
        return result
      })
    const result = await long
    clearTimeout(timer)
    expect(result.rows[0].total).toBe(4500001500000)
    expect(timerFiredBeforeAnswer).toBe(true)
  })

  it('reports database errors with their SQLSTATE code and constraint, as errors', async () => {
    await engine.exec('CREATE TABLE thread_probe (id int PRIMARY KEY); INSERT INTO thread_probe VALUES (1);')
    const error = await sql`INSERT INTO thread_probe VALUES (1)`.execute(engine.db).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(Error)
    expect(error).toMatchObject({ code: '23505', constraint: 'thread_probe_pkey' })
    expect(String((error as Error).stack)).toContain('pglite-thread.test.ts')
  })

  it('rolls a failing script back as a whole', async () => {
    await expect(engine.exec('INSERT INTO thread_probe VALUES (2); INSERT INTO thread_probe VALUES (1);')).rejects.toMatchObject({ code: '23505' })
    const rows = await sql<{ id: number }>`SELECT id FROM thread_probe ORDER BY id`.execute(engine.db)
    expect(rows.rows).toEqual([{ id: 1 }])
  })

  it('passes dates, numbers and bytes both ways', async () => {
    const when = new Date('2026-03-01T08:00:00Z')
    const bytes = new Uint8Array([0, 1, 254, 255])
    const result = await sql<{ when: Date; big: number; bytes: Uint8Array }>`
      SELECT ${when}::timestamptz AS when, 9007199254740::bigint AS big, ${bytes}::bytea AS bytes`.execute(engine.db)
    expect(result.rows[0].when).toEqual(when)
    expect(result.rows[0].big).toBe(9007199254740)
    expect(Array.from(result.rows[0].bytes)).toEqual([0, 1, 254, 255])
  })

  it('dumps a database that another engine opens', async () => {
    const dump = await engine.pglite!.dumpDataDir()
    const copy = await openEngine({ loadDataDir: dump })
    try {
      const rows = await sql<{ id: number }>`SELECT id FROM thread_probe`.execute(copy.db)
      expect(rows.rows).toEqual([{ id: 1 }])
    } finally {
      await copy.close()
    }
  })

  it('refuses queries after close with a clear error', async () => {
    const other = await openBlankEngine()
    await other.close()
    await expect(sql`SELECT 1`.execute(other.db)).rejects.toThrow(/closed/)
  })

  it('opened with deferOpen, returns before the database is open; statements wait for it', async () => {
    const deferred = await openBlankEngine({ deferOpen: true })
    try {
      let open = false
      void deferred.ready.then(() => (open = true))
      // Sent while the thread is still opening PGlite (about 2 s of its CPU): queued, then answered.
      const answer = sql<{ one: number }>`SELECT 1 AS one`.execute(deferred.db)
      expect(open).toBe(false)
      expect((await answer).rows).toEqual([{ one: 1 }])
      expect(open).toBe(true)
    } finally {
      await deferred.close()
    }
  })

  it('opened with deferOpen from a broken dump, rejects `ready` and the statements waiting for it', async () => {
    const deferred = await openEngine({ deferOpen: true, loadDataDir: new Blob([new Uint8Array(4096).fill(7)]) })
    // Settled into a value at once, so its rejection is never "unhandled" while `ready` is awaited.
    const waiting = sql`SELECT 1`.execute(deferred.db).then(
      () => 'answered',
      (error: unknown) => error,
    )
    await expect(deferred.ready).rejects.toThrow(/header/)
    expect(await waiting).toBeInstanceOf(Error)
  })

  it('adopts the thread `npm start` started on the same data folder, and ends one started on another', async () => {
    const folder = await databaseFolder('gridatlas-prespawn-')
    const other = mkdtempSync(join(tmpdir(), 'gridatlas-prespawn-'))
    try {
      prespawnPglite(folder)
      const adopting = await openEngine({ dataDir: folder })
      // Taken by the engine (else two PGlite instances would open one folder).
      expect(takePrespawnedPglite(folder)).toBeUndefined()
      try {
        // The adopted thread is this engine's: a table made through it is there.
        await adopting.exec('CREATE TABLE adopted (id int); INSERT INTO adopted VALUES (7);')
        expect((await sql<{ id: number }>`SELECT id FROM adopted`.execute(adopting.db)).rows).toEqual([{ id: 7 }])
      } finally {
        await adopting.close()
      }
      // Taken once: the next engine on the folder starts its own thread and sees the same data.
      prespawnPglite(other)
      const reopened = await openEngine({ dataDir: folder })
      expect(takePrespawnedPglite(other)).toBeUndefined()
      try {
        expect((await sql<{ id: number }>`SELECT id FROM adopted`.execute(reopened.db)).rows).toEqual([{ id: 7 }])
      } finally {
        await reopened.close()
      }
    } finally {
      rmSync(folder, { recursive: true, force: true })
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('refuses a data folder another running process has open, and takes over one whose process ended', async () => {
    const folder = await databaseFolder('gridatlas-lock-')
    const lock = join(folder, LOCK_FILE_NAME)
    // Another process holding the folder, as the server does while `npm run user:create` runs.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'])
    try {
      writeFileSync(lock, String(holder.pid))
      await expect(openEngine({ dataDir: folder })).rejects.toThrow(`open in another process (pid ${holder.pid})`)
      holder.kill()
      await once(holder, 'exit')
      // Its process is gone (killed, it never closed the folder): the file is taken over.
      const engine = await openEngine({ dataDir: folder })
      try {
        expect(readFileSync(lock, 'utf8')).toBe(String(process.pid))
        expect((await sql<{ one: number }>`SELECT 1 AS one`.execute(engine.db)).rows).toEqual([{ one: 1 }])
      } finally {
        await engine.close()
      }
      expect(existsSync(lock)).toBe(false)
    } finally {
      holder.kill()
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('takes over a data folder whose holder is a zombie (ended, never reaped)', async () => {
    // Found as a user: a server stopped by `timeout` stayed a zombie under a first process that
    // does not reap (as in a container without --init), and `npm start` refused its folder.
    const folder = mkdtempSync(join(tmpdir(), 'gridatlas-lock-'))
    // sh starts a short child, then becomes `sleep`, which never waits for it: the child stays a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'])
    try {
      const [chunk] = (await once(parent.stdout!, 'data')) as [Buffer]
      const pid = Number(chunk.toString().trim())
      const state = () => readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
      for (let i = 0; i < 100 && state() !== 'Z'; i++) await new Promise((resolve) => setTimeout(resolve, 20))
      expect(state()).toBe('Z')
      writeFileSync(join(folder, LOCK_FILE_NAME), String(pid))
      const file = lockDataDir(folder)
      expect(readFileSync(file, 'utf8')).toBe(String(process.pid))
      unlockDataDir(file)
      expect(existsSync(file)).toBe(false)
    } finally {
      parent.kill()
      rmSync(folder, { recursive: true, force: true })
    }
  })
})
