/**
 * `npm run cluster:local`: GridAtlas as a small cluster on one machine, for
 * trying and testing the multi-process set-up (issue 13, items 4–6):
 *
 *   - a PostgreSQL 15 primary (initdb) and a streaming replica of it
 *     (pg_basebackup -R), each a throw-away cluster in a temporary folder on
 *     free ports (never the server on 5432);
 *   - the schema migrated and the sample township loaded;
 *   - two GridAtlas server processes on the primary, reading the declared
 *     read-heavy routes from the replica (DATABASE_REPLICA_URL), sharing one
 *     photo folder;
 *   - a round-robin HTTP proxy in front of them (test-only, see
 *     scripts/cluster/round-robin-proxy.ts).
 *
 * Prints the URLs and keeps running until Ctrl-C, which stops everything and
 * deletes the folder. Options: `--activity` also loads the year of sample
 * activity; `--servers N` (default 2). As root (CI), initdb and postgres run
 * as the `postgres` user. Tests import {@link startLocalCluster}.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { openEngine } from '../server/core/db/engine.ts'
import { SYSTEM_SCOPE } from '../server/core/db/db-scope.ts'
import { migrate } from '../server/core/db/migrate.ts'
import { prepareDatabase } from '../server/bootstrap.ts'
import { seedSampleTownship } from '../server/seed/sample-township.ts'
import { ensureAdmin } from '../server/seed/admin.ts'
import { cloneReplica, freePort, initPrimary, type LocalPg } from './cluster/pg-cluster.ts'
import { startRoundRobinProxy, type RoundRobinProxy } from './cluster/round-robin-proxy.ts'
import { buildIfChanged, SERVER_ENTRY } from './build-if-changed.mjs'

const ROOT = fileURLToPath(new URL('../', import.meta.url))

/** Options of {@link startLocalCluster}. */
export interface LocalClusterOptions {
  /** Server processes behind the proxy (default 2). */
  servers?: number
  /** Also load the year of sample activity (slower; default: the township only). */
  activity?: boolean
  /** Password of `admin` (default: a fixed trial password, printed). */
  adminPassword?: string
  /** Extra environment of the server processes (e.g. LOG_LEVEL). */
  serverEnv?: Record<string, string>
  /** Progress lines (default: none). */
  log?: (line: string) => void
}

/** One GridAtlas server process of the cluster. */
export interface LocalServer {
  url: string
  process: ChildProcess
  /** Stops it: SIGTERM (a clean shutdown) or SIGKILL (a crash). */
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** A running local cluster. */
export interface LocalCluster {
  baseDir: string
  primary: LocalPg
  replica: LocalPg
  servers: LocalServer[]
  proxy: RoundRobinProxy
  adminPassword: string
  /** Stops the servers, the proxy and both PostgreSQL clusters, and deletes the folder. */
  stop(): Promise<void>
}

/** Default password of `admin` in the throw-away cluster (it passes the password rules). */
const TRIAL_ADMIN_PASSWORD = 'Cluster-Local-Trial-2026'

/**
 * How long a server process may take to start: a few seconds on a quiet
 * machine (module loading, the migration check, building the app), far more
 * on a loaded CI runner.
 */
const SERVER_START_TIMEOUT_MS = 180_000

/** Starts the primary, the replica, the servers and the proxy (see the file comment). */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const log = options.log ?? (() => {})
  const adminPassword = options.adminPassword ?? TRIAL_ADMIN_PASSWORD
  const baseDir = await mkdtemp(join(tmpdir(), 'gridatlas-cluster-'))
  const stoppers: Array<() => Promise<void>> = []
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) await stop().catch(() => {})
    stoppers.length = 0
    await rm(baseDir, { recursive: true, force: true })
  }
  try {
    log(`primary: initdb in ${baseDir} …`)
    const primary = await initPrimary(baseDir, await freePort())
    stoppers.push(() => primary.stop())
    await prepare(primary.url, options.activity ?? false, adminPassword, log)
    log('replica: pg_basebackup -R …')
    const replica = await cloneReplica(baseDir, primary, await freePort())
    stoppers.push(() => replica.stop())
    // The built server (as `npm start` runs it) starts in seconds; under tsx it compiles the server first.
    await buildIfChanged('server', { log })
    const servers: LocalServer[] = []
    const photoDir = join(baseDir, 'photos')
    const count = options.servers ?? 2
    log(`starting ${count} server processes …`)
    const started = await Promise.all(
      Array.from({ length: count }, async () =>
        startServer({
          DATABASE_URL: primary.url,
          DATABASE_REPLICA_URL: replica.url,
          PHOTO_DIR: photoDir,
          DATA_DIR: join(baseDir, 'data'),
          SAMPLE_DATA: 'off',
          ADMIN_SECOND_FACTOR: 'off',
          ...options.serverEnv,
        }),
      ),
    )
    for (const server of started) {
      servers.push(server)
      stoppers.push(() => server.stop())
    }
    const proxy = await startRoundRobinProxy(servers.map((server) => server.url))
    stoppers.push(() => proxy.close())
    return { baseDir, primary, replica, servers, proxy, adminPassword, stop: stopAll }
  } catch (error) {
    await stopAll()
    throw error
  }
}

/** Migrates the primary, loads the sample township (and its activity if asked) and creates `admin`. */
async function prepare(url: string, activity: boolean, adminPassword: string, log: (line: string) => void): Promise<void> {
  const engine = await openEngine({ databaseUrl: url, poolSize: 2, defaultScope: SYSTEM_SCOPE })
  try {
    const geodataDir = join(ROOT, 'geodata/xizhou')
    if (activity) {
      log('migrating, loading the sample township and a year of activity …')
      await prepareDatabase(engine, { geodataDir, loadSample: true, adminPassword })
      return
    }
    log('migrating and loading the sample township …')
    await migrate(engine)
    await engine.db.transaction().execute((trx) => seedSampleTownship(trx, geodataDir))
    await ensureAdmin(engine.db, adminPassword)
  } finally {
    await engine.close()
  }
}

/** Starts the built server (dist/server/main.js) on a free port and resolves once it is ready. */
async function startServer(env: Record<string, string>): Promise<LocalServer> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server on ${port} did not start:\n${output}`)), SERVER_START_TIMEOUT_MS)
    const check = () => {
      if (output.includes('GridAtlas is ready')) {
        clearTimeout(timer)
        return resolve()
      }
      if (child.exitCode !== null) {
        clearTimeout(timer)
        return reject(new Error(`server on ${port} exited (${child.exitCode}):\n${output}`))
      }
      setTimeout(check, 100)
    }
    check()
  })
  return {
    url,
    process: child,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill(signal)
      await exited
    },
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const serversAt = args.indexOf('--servers')
  const cluster = await startLocalCluster({
    servers: serversAt >= 0 ? Number(args[serversAt + 1]) : 2,
    activity: args.includes('--activity'),
    log: (line) => console.log(`cluster:local: ${line}`),
  })
  console.log(`
GridAtlas cluster (throw-away, in ${cluster.baseDir}):
  primary  ${cluster.primary.url}
  replica  ${cluster.replica.url}   (streaming, read-only)
${cluster.servers.map((server, i) => `  server ${String.fromCharCode(65 + i)} ${server.url}`).join('\n')}
  proxy    ${cluster.proxy.url}/   (round-robin over the servers; test-only)
Sign in as "admin" with ${cluster.adminPassword}. Ctrl-C stops everything and deletes the folder.`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    console.log('\ncluster:local: stopping …')
    await cluster.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main()
