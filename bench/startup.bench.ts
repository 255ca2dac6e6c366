import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { blankDataDir } from '../server/core/db/blank-data-dir.js'

const ROOT = new URL('../', import.meta.url).pathname
/** Linux clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times. */
const TICKS_PER_SECOND = 100

/** One start of a process until it is ready. */
export interface StartTiming {
  /** Wall time from spawn until ready (for the server: until `/api` answered). */
  wallMs: number
  /** CPU time (user + system, all threads) the process had used when ready; undefined off Linux. */
  cpuMs?: number
  /** The server's progress lines (`GridAtlas [1.2 s]: …`) as seconds since its start, with their text. */
  steps: { atSeconds: number; text: string }[]
}

/** CPU milliseconds used so far by process `pid` (all its threads), from /proc; undefined off Linux. */
function cpuMsOf(pid: number | undefined): number | undefined {
  const file = `/proc/${pid}/stat`
  if (pid === undefined || !existsSync(file)) return undefined
  // The command name (field 2) may hold spaces; fields after its closing parenthesis are fixed.
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
}

/**
 * Spawns `node args…` and resolves when a stdout line matches `ready`; then
 * `onReady` may probe it before it is stopped with SIGTERM.
 */
function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
  onReady: (match: RegExpExecArray) => Promise<void> = async () => {},
): Promise<StartTiming> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let done = false
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = ready.exec(output)
      if (!match || done) return
      done = true
      onReady(match)
        .then(() => {
          const wallMs = performance.now() - started
          const cpuMs = cpuMsOf(child.pid)
          const steps = [...output.matchAll(/^GridAtlas \[([\d.]+) s\]: (.*)$/gm)].map((line) => ({ atSeconds: Number(line[1]), text: line[2] }))
          child.once('exit', () => resolve({ wallMs, cpuMs, steps }))
          child.kill('SIGTERM')
        })
        .catch((error: unknown) => {
          child.kill('SIGKILL')
          reject(error)
        })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('exit', (code) => {
      if (!done) reject(new Error(`process exited ${code} before it was ready:\n${output}`))
    })
  })
}

/** Node's arguments of `npm start` as package.json gives them (its flags, then scripts/start.mjs), so that the bench starts what a user starts. */
function npmStartArgs(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts
  const [command, ...args] = scripts.start.split(/\s+/)
  if (command !== 'node') throw new Error(`npm start runs ${command}, not node: the startup bench cannot start it the same way`)
  return args
}

/**
 * `npm start` (scripts/start.mjs) on the embedded database in `dataDir`, until `/api` answers;
 * with `blank: false` a new folder is created by PGlite instead of copied from the install's
 * blank database (server/core/db/blank-data-dir.js), as after an install without `prepare`.
 */
function startServer(dataDir: string, { blank = true } = {}): Promise<StartTiming> {
  return timeProcess(
    npmStartArgs(),
    { DATABASE_URL: '', PORT: '0', DATA_DIR: dataDir, ADMIN_PASSWORD: 'bench-password-123', BLANK_DATABASE: blank ? 'on' : 'off' },
    /ready in [\d.]+ s: (http:\/\/\S+)/,
    async (match) => {
      const response = await fetch(`${match[1]}api`)
      if (!response.ok) throw new Error(`landing page answered ${response.status}`)
    },
  )
}

/**
 * The floor under a warm start: a process that only opens the embedded
 * database as the server does (its worker thread, PGlite + the slim PostGIS
 * bundle) on the same data folder and runs `SELECT 1` (no server code at all).
 */
function openPgliteAlone(dataDir: string): Promise<StartTiming> {
  const worker = new URL('../server/core/db/pglite-worker.js', import.meta.url).href
  const script = `
    const { Worker } = await import('node:worker_threads')
    const thread = new Worker(new URL(${JSON.stringify(worker)}), { workerData: { dataDir: process.env.DATA_DIR }, execArgv: [] })
    thread.on('message', (message) => {
      if (message.ready === false) throw new Error(message.error.message)
      if (message.ready) return thread.postMessage({ id: 1, op: 'query', text: 'SELECT 1', values: [] })
      if (message.id === 1) console.log('open')
    })
    process.on('SIGTERM', () => {
      thread.postMessage({ id: 2, op: 'close' })
      thread.on('message', (message) => message.id === 2 && process.exit(0))
    })
  `
  return timeProcess(['--input-type=module', '-e', script], { DATA_DIR: dataDir }, /^open$/m)
}

/** What the startup benchmark measured, all in one run. */
export interface StartupBench {
  /** Whether the client or server had to be built first (not counted in the starts). */
  buildOutput: string
  cold: StartTiming
  /** Cold start with PGlite creating the database (initdb, PostGIS's install script), as without the blank database; undefined if it was not built. */
  coldWithoutBlank?: StartTiming
  /** Whether the install's blank database existed (scripts/blank-database.mjs). */
  blankReady: boolean
  /** Warm starts (same data folder), in the order run. */
  warm: StartTiming[]
  /** Bare `node -e` start and exit: the process floor. */
  bareNodeMs: number
  /** PGlite + PostGIS open of the warm data folder, alone. */
  pgliteOpen: StartTiming
}

/** Cold start (new data folder: PostGIS, schema, sample township, sample year), warm starts and their floors. */
export async function benchStartup(warmRuns = 3): Promise<StartupBench> {
  // Built once beforehand, as after `npm install` (prepare) or a previous start: the starts measure the server.
  const build = spawnSync(process.execPath, ['scripts/build-if-changed.mjs'], { cwd: ROOT, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`)
  const blank = spawnSync(process.execPath, ['scripts/blank-database.mjs'], { cwd: ROOT, encoding: 'utf8' })
  const blankReady = existsSync(join(blankDataDir(), 'PG_VERSION'))
  const dataDir = mkdtempSync(join(tmpdir(), 'gridatlas-bench-'))
  const bareDir = mkdtempSync(join(tmpdir(), 'gridatlas-bench-'))
  try {
    const coldWithoutBlank = blankReady ? await startServer(bareDir, { blank: false }) : undefined
    const cold = await startServer(dataDir)
    const warm: StartTiming[] = []
    for (let i = 0; i < warmRuns; i += 1) warm.push(await startServer(dataDir))
    const bareStarted = performance.now()
    spawnSync(process.execPath, ['-e', '0'])
    const bareNodeMs = performance.now() - bareStarted
    const pgliteOpen = await openPgliteAlone(dataDir)
    return { buildOutput: `${build.stdout.trim()}\n${blank.stdout.trim()}`, cold, coldWithoutBlank, blankReady, warm, bareNodeMs, pgliteOpen }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(bareDir, { recursive: true, force: true })
  }
}

const seconds = (valueMs: number | undefined) => (valueMs === undefined ? '–' : `${(valueMs / 1000).toFixed(1)} s`)

/** Time between consecutive progress lines, after the time to the first one (Node start and loading the code): `loading the code 0.4 · opening … 1.2 · …`. */
function stepDurations(timing: StartTiming): string {
  const steps = [{ atSeconds: 0, text: 'loading the code' }, ...timing.steps]
  return steps
    .map((step, i) => {
      const next = steps[i + 1]?.atSeconds ?? timing.wallMs / 1000
      return `${step.text.replace(/ …$/, '').replace(/ in \S+$/, '')} ${(next - step.atSeconds).toFixed(1)}`
    })
    .join(' · ')
}

/** Prints the startup benchmark beside its targets (≤ 3 s warm, < 30 s cold) and floors; true if both are met. */
export function printStartupBench(result: StartupBench, targets = { warmMs: 3000, coldMs: 30_000 }): boolean {
  const warm = [...result.warm].sort((a, b) => a.wallMs - b.wallMs)
  const median = warm[Math.floor(warm.length / 2)]
  const warmMet = median.wallMs <= targets.warmMs
  const coldMet = result.cold.wallMs < targets.coldMs
  console.log(`\n[embedded] npm start (scripts/start.mjs; client and server already built${result.buildOutput.includes('built the') ? ' — just now' : ''})`)
  console.log(`  floor: bare node process ${seconds(result.bareNodeMs)}; the embedded database (thread, PGlite + PostGIS) opening the same data folder alone ${seconds(result.pgliteOpen.wallMs)} (CPU ${seconds(result.pgliteOpen.cpuMs)})`)
  console.log(
    `  warm start to first answer (existing data folder, median of ${warm.length}): ${seconds(median.wallMs)} (CPU ${seconds(median.cpuMs)})  ` +
      `target ≤ ${seconds(targets.warmMs)}  ${warmMet ? 'MET' : 'MISSED'}`,
  )
  console.log(`    steps (s): ${stepDurations(median)}`)
  const from = result.blankReady ? 'a copy of the blank database built by `npm install`' : 'no blank database: PGlite creates it'
  console.log(
    `  cold start to first answer (new data folder from ${from}; schema, sample township, its sample year): ${seconds(result.cold.wallMs)} (CPU ${seconds(result.cold.cpuMs)})  ` +
      `target < ${seconds(targets.coldMs)}  ${coldMet ? 'MET' : 'MISSED'}`,
  )
  console.log(`    steps (s): ${stepDurations(result.cold)}`)
  if (result.coldWithoutBlank) {
    const without = result.coldWithoutBlank
    console.log(
      `  for comparison, cold start without the blank database (BLANK_DATABASE=off, as an install without \`prepare\`: initdb and PostGIS's install script): ` +
        `${seconds(without.wallMs)} (CPU ${seconds(without.cpuMs)})  ${without.wallMs < targets.coldMs ? 'under' : 'over'} the target`,
    )
    console.log(`    steps (s): ${stepDurations(without)}`)
  }
  return warmMet && coldMet
}
