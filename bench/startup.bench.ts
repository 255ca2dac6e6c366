import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = new URL('../', import.meta.url).pathname

/** Starts `server/main.ts` on the embedded database in `dataDir` and resolves with ms until it answers. */
function startServer(dataDir: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', PORT: '0', DATA_DIR: dataDir, ADMIN_PASSWORD: 'bench-password-123' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /ready in [\d.]+ s: (http:\/\/\S+)/.exec(output)
      if (!match) return
      child.stdout.off('data', onData)
      fetch(`${match[1]}api`)
        .then((response) => {
          if (!response.ok) throw new Error(`landing page answered ${response.status}`)
          const elapsed = performance.now() - started
          child.once('exit', () => resolve(elapsed))
          child.kill('SIGTERM')
        })
        .catch((error) => {
          child.kill('SIGKILL')
          reject(error)
        })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) reject(new Error(`server exited ${code}:\n${output}`))
    })
  })
}

/** Cold start (new data folder: schema + sample township) and warm start (same folder again). */
export async function benchStartup(): Promise<{ coldMs: number; warmMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridatlas-bench-'))
  try {
    const coldMs = await startServer(dataDir)
    const warmMs = await startServer(dataDir)
    return { coldMs, warmMs }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
