import { execFileSync } from 'node:child_process'
import { chownSync, mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Folder of the Debian PostgreSQL 15 programs (postgresql-15 with postgresql-15-postgis-3). */
const PG_BIN = process.env.FAULTS_PG_BIN ?? '/usr/lib/postgresql/15/bin'

/**
 * A throw-away PostgreSQL 15 cluster of this run only, on its own port and
 * socket folder: the fault test stops it hard, so it must never be the
 * shared server other people's tests use.
 */
export interface PrivateCluster {
  /** Superuser connection string of the `postgres` database. */
  url: string
  port: number
  /** Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, recovery from WAL at the next start). */
  crash(): void
  /** Starts it again and waits until it accepts connections. */
  start(): void
  /** Stops it and deletes its folder. */
  remove(): void
}

/** Runs a PostgreSQL program as the `postgres` user (initdb and postgres refuse to run as root). */
function asPostgres(program: string, args: string[]): string {
  const command = [join(PG_BIN, program), ...args]
  const runner = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', ...command]] : [command[0], command.slice(1)]
  return execFileSync(runner[0] as string, runner[1] as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

/** A free local TCP port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

/** Creates and starts a private cluster in a new temporary folder. */
export async function createPrivateCluster(): Promise<PrivateCluster> {
  const root = mkdtempSync(join(tmpdir(), 'gridatlas-faults-pg-'))
  if (process.getuid?.() === 0) chownSync(root, uidOf('postgres'), gidOf('postgres'))
  const dataDir = join(root, 'data')
  const port = await freePort()
  asPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8'])
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on`
  const start = () => {
    asPostgres('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(root, 'server.log'), '-w', '-t', '60', 'start'])
  }
  start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    crash: () => void asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']),
    start,
    remove() {
      try {
        asPostgres('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'])
      } catch {
        // already stopped
      }
      rmSync(root, { recursive: true, force: true })
    },
  }
}

function uidOf(user: string): number {
  return Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim())
}

function gidOf(user: string): number {
  return Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim())
}
