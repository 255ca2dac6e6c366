import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { openEngine } from '../../server/core/db/engine.ts'
import { createPrivateCluster } from './private-postgres.ts'
import { startServer } from './server-process.ts'
import { countPresent, formatStatuses, MixedLoad, prepareWorkload, timeUntilHealthy } from './workload.ts'

/**
 * `npm run test:faults`: fault injection against a real server process.
 *
 * (a) PostgreSQL: a mixed read/write load while the database is
 *     crash-restarted (`pg_ctl stop -m immediate`, then start) on a private
 *     cluster of this run; the server process must stay up, answer 200 within
 *     5 s of the database being back, and every acknowledged write must be there.
 * (b) Embedded PGlite: the server is killed with SIGKILL in the middle of
 *     writes; reopening its data folder must show every acknowledged write.
 *
 * `--only postgres` or `--only embedded` runs one part. Exits 1 on a failure.
 */
const ONLY = parseArgs({ options: { only: { type: 'string' } } }).values.only
const WORKERS = Number(process.env.FAULTS_WORKERS ?? 8)
const LOAD_BEFORE_MS = Number(process.env.FAULTS_LOAD_BEFORE_MS ?? 4000)
const OUTAGE_MS = Number(process.env.FAULTS_OUTAGE_MS ?? 2000)
const LOAD_AFTER_MS = Number(process.env.FAULTS_LOAD_AFTER_MS ?? 6000)
const RECOVERY_LIMIT_MS = 5000
/** The administrator's password (the policy refuses one that contains the username "admin"). */
const FAULTS_ADMIN_PASSWORD = 'faults-Xizhou-2026'

const failures: string[] = []
function check(ok: boolean, text: string): void {
  console.log(`  ${ok ? 'MET   ' : 'MISSED'} ${text}`)
  if (!ok) failures.push(text)
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function postgresCrashRestart(): Promise<void> {
  console.log('\n(a) PostgreSQL crash-restart under load (private cluster, pg_ctl stop -m immediate, then start)')
  const cluster = await createPrivateCluster()
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  try {
    const databaseUrl = cluster.url
    const setup = await openEngine({ databaseUrl, poolSize: 2 })
    const workload = await prepareWorkload(setup).finally(() => setup.close())
    server = await startServer({ DATABASE_URL: databaseUrl, ADMIN_PASSWORD: FAULTS_ADMIN_PASSWORD })
    const load = new MixedLoad(server.baseUrl, workload)
    load.start(WORKERS)
    await sleep(LOAD_BEFORE_MS)
    const crashedAt = performance.now()
    cluster.crash()
    const acknowledgedAtCrash = load.figures.acknowledged.length
    await sleep(OUTAGE_MS)
    cluster.start()
    const backAt = performance.now()
    const recoveryMs = await timeUntilHealthy(server.baseUrl, workload.token, 30_000)
    await sleep(LOAD_AFTER_MS)
    await load.stop()
    const alive = server.alive()
    const verify = await openEngine({ databaseUrl, poolSize: 1 })
    const present = await countPresent(verify, load.figures.acknowledged).finally(() => verify.close())
    const acknowledged = load.figures.acknowledged.length
    const serverErrors = [...load.figures.statuses].filter(([status]) => status >= 500 && status !== 503).reduce((sum, [, n]) => sum + n, 0)
    console.log(`  ${WORKERS} workers; database down ${((backAt - crashedAt) / 1000).toFixed(1)} s`)
    console.log(`  writes sent ${load.figures.writes}, acknowledged ${acknowledged} (${acknowledgedAtCrash} before the crash), found afterwards ${present}`)
    console.log(`  responses: ${formatStatuses(load.figures.statuses)}`)
    console.log(`  API answering 200 again ${(recoveryMs / 1000).toFixed(2)} s after the database was back`)
    check(alive, 'server process alive after the crash-restart')
    check(recoveryMs <= RECOVERY_LIMIT_MS, `API back within ${RECOVERY_LIMIT_MS / 1000} s of the database`)
    check(present === acknowledged && acknowledged > 0, 'every acknowledged write present afterwards')
    check(serverErrors === 0, 'no 5xx other than 503 during the outage')
    check(load.figures.acknowledged.length > acknowledgedAtCrash, 'writes acknowledged again after the restart')
    if (!alive) console.log(server.output().slice(-3000))
  } finally {
    await server?.stop()
    cluster.remove()
  }
}

async function embeddedKill(): Promise<void> {
  console.log('\n(b) Embedded PGlite: kill -9 of the server in the middle of writes')
  const dataDir = mkdtempSync(join(tmpdir(), 'gridatlas-faults-pglite-'))
  try {
    const setup = await openEngine({ dataDir })
    const workload = await prepareWorkload(setup).finally(() => setup.close())
    const server = await startServer({ DATA_DIR: dataDir, ADMIN_PASSWORD: FAULTS_ADMIN_PASSWORD })
    const load = new MixedLoad(server.baseUrl, workload)
    load.start(WORKERS)
    await sleep(LOAD_BEFORE_MS + LOAD_AFTER_MS)
    server.child.kill('SIGKILL')
    const inFlight = load.figures.writes - load.figures.writesAnswered
    await load.stop()
    await server.stop()
    const reopenStarted = performance.now()
    const reopened = await openEngine({ dataDir })
    const reopenMs = performance.now() - reopenStarted
    const present = await countPresent(reopened, load.figures.acknowledged).finally(() => reopened.close())
    const acknowledged = load.figures.acknowledged.length
    console.log(`  ${WORKERS} workers; SIGKILL with ${inFlight} registration(s) in flight, after ${load.figures.writes - inFlight} answered`)
    console.log(`  writes acknowledged ${acknowledged}, found after reopening ${present} (reopen took ${(reopenMs / 1000).toFixed(1)} s)`)
    console.log(`  responses: ${formatStatuses(load.figures.statuses)}`)
    check(present === acknowledged && acknowledged > 0, 'every acknowledged write present after kill -9 and reopen')
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

console.log('GridAtlas fault tests')
if (!ONLY || ONLY === 'postgres') await postgresCrashRestart()
if (!ONLY || ONLY === 'embedded') await embeddedKill()
console.log(failures.length === 0 ? '\nAll fault checks MET.' : `\n${failures.length} fault check(s) MISSED.`)
process.exit(failures.length === 0 ? 0 : 1)
