import { sql } from 'kysely'
import type { DbEngine } from '../../server/core/db/engine.ts'
import { migrate } from '../../server/core/db/migrate.ts'
import { seedSampleTownship } from '../../server/seed/sample-township.ts'
import { createUser } from '../../server/features/users/users.service.ts'
import { issueApiToken } from '../../server/features/users/tokens.service.ts'
import { GEODATA_DIR } from '../setup/template.ts'

/** What the load needs: an API token of a dispatcher and points inside the township's grids. */
export interface Workload {
  token: string
  points: Array<[number, number]>
}

/** Migrates, loads the sample township (without its sample year) and makes a dispatcher with a token. */
export async function prepareWorkload(engine: DbEngine): Promise<Workload> {
  await migrate(engine)
  await engine.db.transaction().execute((trx) => seedSampleTownship(trx, GEODATA_DIR))
  const user = await engine.db.transaction().execute((trx) =>
    createUser(trx, { username: `faults-dispatcher`, password: 'faults-password-123', role: 'dispatcher' }, null),
  )
  const { token } = await issueApiToken(engine.db, user.id, 'faults')
  const { rows } = await sql<{ lon: number; lat: number }>`
    SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat
    FROM current_areas WHERE level = 'fine_grid' ORDER BY code`.execute(engine.db)
  return { token, points: rows.map((row) => [Number(row.lon), Number(row.lat)]) }
}

/** Figures of a {@link MixedLoad} run. */
export interface LoadFigures {
  /** Ids of the cases whose registration was answered 201 (acknowledged writes). */
  acknowledged: number[]
  /** Responses by status (0: no answer, e.g. connection refused). */
  statuses: Map<number, number>
  reads: number
  /** Registrations sent (counted before each is sent). */
  writes: number
  /** Registrations that got an HTTP answer of any status. */
  writesAnswered: number
}

/**
 * A mixed load: `workers` loops, each registering a hazard then reading the
 * legend counts and a page of hazards, until stopped. Keeps the id of every
 * acknowledged registration.
 */
export class MixedLoad {
  readonly figures: LoadFigures = { acknowledged: [], statuses: new Map(), reads: 0, writes: 0, writesAnswered: 0 }
  #running = true
  #loops: Promise<void>[] = []
  readonly #baseUrl: string
  readonly #workload: Workload

  constructor(baseUrl: string, workload: Workload) {
    this.#baseUrl = baseUrl
    this.#workload = workload
  }

  /** Starts `workers` loops. */
  start(workers: number): void {
    for (let worker = 0; worker < workers; worker++) this.#loops.push(this.#loop(worker))
  }

  /** Stops the loops after their current request. */
  async stop(): Promise<void> {
    this.#running = false
    await Promise.all(this.#loops)
  }

  async #loop(worker: number): Promise<void> {
    const headers = { authorization: `Bearer ${this.#workload.token}`, 'content-type': 'application/json' }
    for (let n = 0; this.#running; n++) {
      const [lon, lat] = this.#workload.points[(worker * 7 + n) % this.#workload.points.length]
      const feature = {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [lon, lat] },
        properties: { category: 'fire', description: `故障测试 ${worker}-${n}`, severity: 'low', source: 'grid_worker', reporterName: '故障测试' },
      }
      this.figures.writes += 1
      const written = await this.#request('POST', '/api/collections/hazards/items', headers, JSON.stringify(feature))
      if (written.status !== 0) this.figures.writesAnswered += 1
      if (written.status === 201) this.figures.acknowledged.push(Number((written.body as { properties: { id: number } }).properties.id))
      await this.#request('GET', '/api/cases/counts', headers)
      await this.#request('GET', '/api/collections/hazards/items?limit=20', headers)
      this.figures.reads += 2
      if (written.status !== 201) await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  async #request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: unknown }> {
    let status = 0
    let parsed: unknown
    try {
      const response = await fetch(`${this.#baseUrl}${path}`, { method, headers: body ? headers : { authorization: headers.authorization }, body, signal: AbortSignal.timeout(15_000) })
      status = response.status
      parsed = await response.json().catch(() => undefined)
    } catch {
      status = 0
    }
    this.figures.statuses.set(status, (this.figures.statuses.get(status) ?? 0) + 1)
    return { status, body: parsed }
  }
}

/** How many of `ids` are cases in the database. */
export async function countPresent(engine: DbEngine, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE id = ANY(${ids}::bigint[])`.execute(engine.db)
  return Number(rows[0].n)
}

/** Polls GET `path` until it answers 200; returns the milliseconds it took (or Infinity after `timeoutMs`). */
export async function timeUntilHealthy(baseUrl: string, token: string, timeoutMs: number): Promise<number> {
  const started = performance.now()
  while (performance.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${baseUrl}/api/cases/counts`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(2000) })
      await response.arrayBuffer()
      if (response.status === 200) return performance.now() - started
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return Infinity
}

/** `statuses` as "201×120 200×240 503×12". */
export function formatStatuses(statuses: Map<number, number>): string {
  return [...statuses.entries()].sort((a, b) => a[0] - b[0]).map(([status, n]) => `${status || 'no answer'}×${n}`).join(' ')
}
