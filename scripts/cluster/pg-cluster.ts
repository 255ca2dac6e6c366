import { spawn } from 'node:child_process'
import { appendFile, chown, mkdir } from 'node:fs/promises'
import { createServer } from 'node:net'
import { join } from 'node:path'

/** Debian's PostgreSQL 15 binaries (the version CI installs). */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin'

/** The Unix user that owns and runs the local clusters when this script runs as root. */
const PG_OS_USER = 'postgres'

/** initdb and postgres refuse to run as root: as root they run as `postgres`. */
const runningAsRoot = process.getuid?.() === 0

/** A local PostgreSQL cluster started by {@link initPrimary} or {@link cloneReplica}. */
export interface LocalPg {
  dataDir: string
  port: number
  /** Connection string (trust authentication on 127.0.0.1 only). */
  url: string
  stop(): Promise<void>
}

/** A free TCP port on 127.0.0.1 (asked of the OS, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Runs a PostgreSQL binary (as `postgres` when we are root) and resolves with its output; rejects with it on failure. */
export async function runPg(binary: string, args: string[], options: { cwd?: string } = {}): Promise<string> {
  const path = join(PG_BIN, binary)
  const [command, argv] = runningAsRoot ? ['runuser', ['-u', PG_OS_USER, '--', path, ...args]] : [path, args]
  return new Promise((resolve, reject) => {
    // cwd: a folder the postgres user may enter (it cannot read /root, where npm may run from).
    const child = spawn(command, argv, { cwd: options.cwd ?? '/tmp', stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${binary} ${args.join(' ')} failed (${code}):\n${output}`))))
  })
}

/** Makes `dir` (and its parents below it) owned by the cluster's Unix user when we are root. */
async function ownDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 })
  if (!runningAsRoot) return
  const uid = Number(await runPlain('id', ['-u', PG_OS_USER]))
  const gid = Number(await runPlain('id', ['-g', PG_OS_USER]))
  await chown(dir, uid, gid)
}

async function runPlain(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('close', (code) => (code === 0 ? resolve(output.trim()) : reject(new Error(`${command} failed (${code})`))))
  })
}

/**
 * Settings of a throw-away test cluster: on 127.0.0.1 only, its socket in its
 * own folder (not /var/run/postgresql, which the shared server uses), ready
 * to stream WAL to a replica. `fsync=off`: the cluster is deleted afterwards,
 * and on a shared CI machine fsync dominates the migration time.
 */
function clusterSettings(port: number, socketDir: string): string {
  return [
    '',
    '# cluster:local (scripts/cluster/pg-cluster.ts)',
    `port = ${port}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = replica',
    'max_wal_senders = 5',
    'hot_standby = on',
    // Long analytics queries on the replica are not cancelled by replay of vacuum on the primary.
    'hot_standby_feedback = on',
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'shared_buffers = 64MB',
    'max_connections = 60',
    "log_min_messages = 'warning'",
    '',
  ].join('\n')
}

async function start(dataDir: string, port: number): Promise<LocalPg> {
  await runPg('pg_ctl', ['-D', dataDir, '-l', join(dataDir, 'server.log'), '-w', '-t', '60', 'start'])
  let stopped = false
  return {
    dataDir,
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (stopped) return
      stopped = true
      await runPg('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {})
    },
  }
}

/** Creates a primary cluster in `baseDir/primary` with initdb and starts it on `port`. */
export async function initPrimary(baseDir: string, port: number): Promise<LocalPg> {
  await ownDir(baseDir)
  const dataDir = join(baseDir, 'primary')
  await runPg('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
  await appendFile(join(dataDir, 'postgresql.conf'), clusterSettings(port, baseDir))
  return start(dataDir, port)
}

/** Makes a streaming replica of `primary` in `baseDir/replica` with `pg_basebackup -R` and starts it on `port`. */
export async function cloneReplica(baseDir: string, primary: LocalPg, port: number): Promise<LocalPg> {
  const dataDir = join(baseDir, 'replica')
  await runPg('pg_basebackup', ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'])
  // The copied postgresql.conf names the primary's port; the later line wins.
  await appendFile(join(dataDir, 'postgresql.conf'), `\nport = ${port}\n`)
  return start(dataDir, port)
}
