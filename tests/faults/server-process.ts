import { spawn, type ChildProcess } from 'node:child_process'
import { ROOT } from '../setup/template.ts'
import { freePort } from './private-postgres.ts'

/** A GridAtlas server running as its own process (`server/main.ts`, as `npm start` runs it). */
export interface ServerProcess {
  child: ChildProcess
  baseUrl: string
  /** Whether the process is still running. */
  alive(): boolean
  /** Everything it wrote to stdout and stderr. */
  output(): string
  /** Stops it (SIGTERM, then SIGKILL) and waits for the exit. */
  stop(): Promise<void>
}

/** Starts the server with `env` (DATABASE_URL or DATA_DIR …) and waits until it is ready. */
export async function startServer(env: Record<string, string>, timeoutMs = 180_000): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, SAMPLE_DATA: 'off', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += String(chunk)))
  child.stderr!.on('data', (chunk) => (output += String(chunk)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs)
    const check = () => {
      if (output.includes('GridAtlas is ready')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`server exited (${code}) before it was ready:\n${output}`))
    })
  })
  return {
    child,
    baseUrl: `http://127.0.0.1:${port}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    },
  }
}
