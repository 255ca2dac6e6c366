import { sql, type RawBuilder } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../server/app.ts'
import { nextStatus } from '../../server/features/cases/workflow.ts'
import { DISPUTE_WORKFLOW } from '../../server/features/cases/dispute-workflow.ts'
import { HAZARD_WORKFLOW } from '../../server/features/cases/hazard-workflow.ts'
import { LEAD_WORKFLOW } from '../../server/features/cases/lead-workflow.ts'
import type { Db } from '../../server/core/db/database.ts'
import { verifyPassword } from '../../server/features/users/password-hash.ts'
import { idNumberCheck } from '../../server/seed/activity/fake-identity.ts'
import { seedSampleActivity, type SampleActivityReport } from '../../server/seed/sample-activity.ts'
import { GEODATA_DIR } from '../setup/template.ts'
import { openTestDatabase, type TestDatabase } from '../support/test-database.ts'

/** Midnight 1 July 2026 in the township (UTC+8): the year runs from 1 July 2025. */
const AS_OF = new Date('2026-06-30T16:00:00Z')
const SEED = 7
const AT = sql`${AS_OF}::timestamptz`

let first: TestDatabase
let second: TestDatabase
let report: SampleActivityReport
let db: Db

async function seed(database: TestDatabase): Promise<SampleActivityReport> {
  return database.engine.db.transaction().execute((trx) => seedSampleActivity(trx, { asOf: AS_OF, seed: SEED, geodataDir: GEODATA_DIR }))
}

async function rows<T>(query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows
}

async function one<T>(query: RawBuilder<T>): Promise<T> {
  return (await rows(query))[0]
}

/** Aggregates and digests of everything the generator writes. */
async function fingerprint(target: Db) {
  const digest = (table: string, columns: string, order = 'id') =>
    sql<{ n: number; digest: string }>`SELECT count(*)::int AS n, md5(coalesce(string_agg(concat_ws('|', ${sql.raw(columns)}), ',' ORDER BY ${sql.raw(order)}), '')) AS digest
      FROM ${sql.raw(table)}`.execute(target)
  const perMonth = await sql`SELECT kind, status, category, to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month, count(*)::int AS n,
      sum(village_id)::bigint AS villages, sum(fine_grid_id)::bigint AS fine_grids
    FROM cases GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`.execute(target)
  return {
    perMonth: perMonth.rows,
    cases: (await digest('cases', 'id, kind, status, category, severity, tier, source, ST_AsText(geom), reported_at, registered_at, deadline_at, closed_at, station_key, village_id, village_version, base_grid_id, fine_grid_id, version, description, reporter_name')).rows[0],
    parties: (await digest('case_parties', 'case_id, seq, name, role, phone, home_village_id', 'case_id, seq')).rows[0],
    events: (await digest('case_events', 'case_id, lead_id, at, username, role, action, status_from, status_to, version, changes::text, reason')).rows[0],
    leads: (await digest('leads', 'id, status, category, ST_AsText(geom), received_at, closed_at, version')).rows[0],
    persons: (await digest('key_persons', 'id, name, id_number, phone, address, ST_AsText(household_geom), category, colour, status, created_at')).rows[0],
    visits: (await digest('key_person_visits', 'person_id, visited_at, kind, note, next_due')).rows[0],
    audit: (await digest('audit_log', 'at, username, action, subject_ids::text, detail::text')).rows[0],
    users: (await digest('users', "username, role, display_name, coalesce((SELECT string_agg(area_id::text, ' ' ORDER BY area_id) FROM user_grids g WHERE g.user_id = users.id), '')", 'username')).rows[0],
  }
}

beforeAll(async () => {
  ;[first, second] = await Promise.all([openTestDatabase(), openTestDatabase()])
  report = await seed(first)
  await seed(second)
  db = first.engine.db
}, 240_000)

afterAll(async () => {
  await first?.dispose()
  await second?.dispose()
})

describe('sample activity: volume and determinism', () => {
  it('writes a year of activity of the default size', () => {
    expect(report.hazards).toBe(2400)
    expect(report.disputes).toBe(1800)
    expect(report.leads).toBe(100)
    expect(report.keyPersons).toBe(300)
    expect(report.ledger).toBe('full')
    expect(report.to.toISOString()).toBe(AS_OF.toISOString())
    expect(report.to.getTime() - report.from.getTime()).toBe(365 * 86_400_000)
  })

  it('is the same, row for row, for the same seed and asOf in two fresh databases', async () => {
    const [a, b] = await Promise.all([fingerprint(first.engine.db), fingerprint(second.engine.db)])
    expect(a.cases.n).toBe(report.hazards + report.disputes + report.convertedLeads)
    expect(a.events.n).toBe(report.caseEvents)
    expect(a.visits.n).toBe(report.visits)
    expect(b).toEqual(a)
  })
})

describe('sample activity: when and where', () => {
  it('keeps every case in the year, registered after it was reported and before asOf', async () => {
    const bad = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM cases
      WHERE reported_at < ${report.from} OR reported_at > ${AT} OR registered_at < reported_at OR registered_at > ${AT} OR updated_at > ${AT}`)
    expect(bad.n).toBe(0)
  })

  it('follows the seasons: floods and landslides in the rainy season, fires in the dry season', async () => {
    const months = await rows(sql<{ category: string; jul: number; feb: number }>`SELECT category,
        count(*) FILTER (WHERE to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = '2025-07')::int AS jul,
        count(*) FILTER (WHERE to_char(reported_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') = '2026-02')::int AS feb
      FROM cases WHERE kind = 'hazard' GROUP BY 1`)
    const of = (category: string) => months.find((row) => row.category === category)!
    expect(of('flood').jul).toBeGreaterThan(3 * of('flood').feb)
    expect(of('geological').jul).toBeGreaterThan(3 * of('geological').feb)
    expect(of('fire').feb).toBeGreaterThan(3 * of('fire').jul)
  })

  it('clusters cases in market grids, floods on the lake shore and landslides on the hillside (west)', async () => {
    const markets = await one(sql<{ cases: number; total: number; area_share: number }>`SELECT
        (SELECT count(*)::int FROM cases WHERE fine_grid_id IN (SELECT area_id FROM current_areas WHERE kind = 'market')) AS cases,
        (SELECT count(*)::int FROM cases) AS total,
        (SELECT sum(ST_Area(geom)) FROM current_areas WHERE kind = 'market') / (SELECT sum(ST_Area(geom)) FROM current_areas WHERE level = 'village') AS area_share`)
    expect(markets.cases / markets.total).toBeGreaterThan(3 * Number(markets.area_share))
    const shore = await one(sql<{ near: number; n: number }>`SELECT
        count(*) FILTER (WHERE ST_DWithin(c.geom, (SELECT ST_Union(exempt_geom) FROM current_areas WHERE exempt_geom IS NOT NULL), 0.003))::int AS near,
        count(*)::int AS n
      FROM cases c WHERE c.category = 'flood'`)
    expect(shore.near / shore.n).toBeGreaterThan(0.6)
    const lon = await one(sql<{ geological: number; flood: number; all: number }>`SELECT
        avg(ST_X(geom)) FILTER (WHERE category = 'geological') AS geological, avg(ST_X(geom)) FILTER (WHERE category = 'flood') AS flood,
        avg(ST_X(geom)) AS all FROM cases WHERE kind = 'hazard'`)
    expect(lon.geological).toBeLessThan(lon.all - 0.02)
    expect(lon.flood).toBeGreaterThan(lon.all + 0.015)
  })

  it('locates every case inside its village and grids at the versions in force when reported', async () => {
    const bad = await one(sql<{ n: number; missing_grid: number }>`SELECT
        count(*) FILTER (WHERE NOT (ST_Intersects(v.geom, c.geom) AND ST_Intersects(f.geom, c.geom) AND ST_Intersects(b.geom, c.geom)
          AND v.valid_from <= c.reported_at AND (v.valid_to IS NULL OR v.valid_to > c.reported_at)
          AND f.valid_from <= c.reported_at AND (f.valid_to IS NULL OR f.valid_to > c.reported_at)
          AND f.parent_id = b.area_id AND b.parent_id = v.area_id))::int AS n,
        count(*) FILTER (WHERE f.area_id IS NULL OR b.area_id IS NULL)::int AS missing_grid
      FROM cases c
      JOIN area_versions v ON v.area_id = c.village_id AND v.version = c.village_version
      LEFT JOIN area_versions b ON b.area_id = c.base_grid_id AND b.version = c.base_grid_version
      LEFT JOIN area_versions f ON f.area_id = c.fine_grid_id AND f.version = c.fine_grid_version`)
    expect(bad).toEqual({ n: 0, missing_grid: 0 })
    const villages = await one(sql<{ n: number }>`SELECT count(DISTINCT village_id)::int AS n FROM cases`)
    expect(villages.n).toBe(13)
  })
})

describe('sample activity: disputes and supervision', () => {
  it('has 8–12 % cross-village disputes, with parties from two villages, near a village boundary', async () => {
    const share = await one(sql<{ cross: number; n: number; wrong_flag: number; far: number }>`WITH p AS (
        SELECT case_id, count(DISTINCT home_village_id) AS villages, count(*) AS parties FROM case_parties GROUP BY 1)
      SELECT count(*) FILTER (WHERE c.cross_village)::int AS cross, count(*)::int AS n,
        count(*) FILTER (WHERE c.cross_village <> (p.villages > 1) OR p.parties NOT BETWEEN 2 AND 4)::int AS wrong_flag,
        count(*) FILTER (WHERE c.cross_village AND NOT EXISTS (SELECT 1 FROM current_areas o
          WHERE o.level = 'village' AND o.area_id <> c.village_id AND ST_DWithin(o.geom, c.geom, 0.003)))::int AS far
      FROM cases c JOIN p ON p.case_id = c.id WHERE c.kind = 'dispute'`)
    expect(share.n).toBe(await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM cases WHERE kind = 'dispute'`).then((row) => row.n))
    expect(share.cross / share.n).toBeGreaterThanOrEqual(0.08)
    expect(share.cross / share.n).toBeLessThanOrEqual(0.12)
    expect(share.wrong_flag).toBe(0)
    expect(share.far / share.cross).toBeLessThan(0.05)
  })

  it('has mostly general disputes, some complex, a few major', async () => {
    const tiers = Object.fromEntries(
      (await rows(sql<{ tier: string; n: number }>`SELECT tier, count(*)::int AS n FROM cases WHERE kind = 'dispute' GROUP BY 1`)).map((row) => [row.tier, row.n]),
    )
    const total = tiers.general + tiers.complex + tiers.major
    expect(tiers.general / total).toBeGreaterThan(0.75)
    expect(tiers.complex / total).toBeGreaterThan(0.05)
    expect(tiers.major).toBeGreaterThan(0)
    expect(tiers.major / total).toBeLessThan(0.06)
  })

  it('closes most old cases, leaves recent ones open and a handful overdue (red) or near the deadline (yellow)', async () => {
    const state = await one(sql<{ old_open: number; old: number; recent_open: number; recent: number; overdue: number; near: number; n: number }>`SELECT
        count(*) FILTER (WHERE reported_at < ${AT} - interval '90 days' AND closed_at IS NULL)::int AS old_open,
        count(*) FILTER (WHERE reported_at < ${AT} - interval '90 days')::int AS old,
        count(*) FILTER (WHERE reported_at > ${AT} - interval '10 days' AND closed_at IS NULL)::int AS recent_open,
        count(*) FILTER (WHERE reported_at > ${AT} - interval '10 days')::int AS recent,
        count(*) FILTER (WHERE open_unmet AND deadline_at < ${AT})::int AS overdue,
        count(*) FILTER (WHERE open_unmet AND deadline_at >= ${AT} AND deadline_at - ${AT} < (deadline_at - reported_at) * 0.25)::int AS near,
        count(*)::int AS n
      FROM (SELECT c.*, c.closed_at IS NULL AND c.status NOT IN ('resolved', 'fed_back', 'evaluated', 'unfounded', 'rectified', 'closed')
              AND NOT (c.tier = 'major' AND c.escalated_at IS NOT NULL) AS open_unmet FROM cases c) c`)
    expect(state.old_open / state.old).toBeLessThan(0.03)
    expect(state.recent_open / state.recent).toBeGreaterThan(0.3)
    expect(state.overdue).toBeGreaterThanOrEqual(5)
    expect(state.overdue / state.n).toBeLessThan(0.03)
    expect(state.near).toBeGreaterThan(0)
  })
})

describe('sample activity: the ledger (台账)', () => {
  it('chains every case’s entries from registration to its current status and version', async () => {
    const chain = await one(sql<{ bad_first: number; bad_chain: number; bad_version: number; bad_time: number }>`WITH e AS (
        SELECT case_id, action, status_from, status_to, version, at,
          lag(status_to) OVER w AS prev_to, lag(at) OVER w AS prev_at, row_number() OVER w AS rn
        FROM case_events WHERE case_id IS NOT NULL WINDOW w AS (PARTITION BY case_id ORDER BY id))
      SELECT count(*) FILTER (WHERE rn = 1 AND (action <> 'register' OR status_from IS NOT NULL))::int AS bad_first,
        count(*) FILTER (WHERE rn > 1 AND status_from IS DISTINCT FROM prev_to)::int AS bad_chain,
        count(*) FILTER (WHERE version <> rn)::int AS bad_version,
        count(*) FILTER (WHERE at < prev_at)::int AS bad_time FROM e`)
    expect(chain).toEqual({ bad_first: 0, bad_chain: 0, bad_version: 0, bad_time: 0 })
    const last = await one(sql<{ n: number; bad: number }>`SELECT count(*)::int AS n, count(*) FILTER (WHERE l.status_to <> c.status OR l.version <> c.version
        OR l.at <> c.updated_at OR (c.closed_at IS NOT NULL) <> (c.status IN ('closed', 'unfounded', 'evaluated')))::int AS bad
      FROM cases c JOIN LATERAL (SELECT status_to, version, at FROM case_events e WHERE e.case_id = c.id ORDER BY id DESC LIMIT 1) l ON true`)
    expect(last.bad).toBe(0)
    expect(last.n).toBe(report.hazards + report.disputes + report.convertedLeads)
  })

  it('records only transitions the workflows allow, by users of the right roles', async () => {
    const steps = await rows(sql<{ kind: string; action: string; status_from: string | null; status_to: string; role: string }>`
      SELECT DISTINCT c.kind, e.action, e.status_from, e.status_to, e.role FROM case_events e JOIN cases c ON c.id = e.case_id`)
    for (const step of steps) {
      if (step.action === 'register') continue
      const workflow = step.kind === 'hazard' ? HAZARD_WORKFLOW : DISPUTE_WORKFLOW
      expect(nextStatus(workflow as typeof HAZARD_WORKFLOW, step.status_from as never, step.action as never), JSON.stringify(step)).toBe(step.status_to)
      if (['dispatch', 'escalate', 'evaluate', 'close'].includes(step.action)) expect(step.role).toBe('dispatcher')
      if (['verify', 'reject', 'start-rectification', 'rectify'].includes(step.action)) expect(step.role).toBe('grid_worker')
    }
    const missing = await one(sql<{ dispute: number; hazard: number }>`SELECT
        count(*) FILTER (WHERE c.kind = 'dispute' AND c.status <> 'registered' AND NOT EXISTS (SELECT 1 FROM case_events e
          WHERE e.case_id = c.id AND e.action IN ('dispatch', 'escalate')))::int AS dispute,
        count(*) FILTER (WHERE c.kind = 'hazard' AND c.status <> 'reported' AND NOT EXISTS (SELECT 1 FROM case_events e
          WHERE e.case_id = c.id AND e.action IN ('verify', 'reject')))::int AS hazard
      FROM cases c`)
    expect(missing).toEqual({ dispute: 0, hazard: 0 })
  })

  it('puts station work on the station’s sample user and grid work on the village’s sample grid worker', async () => {
    const wrong = await one(sql<{ station: number; grid: number }>`SELECT
        count(*) FILTER (WHERE e.role = 'station' AND u.station_key IS DISTINCT FROM c.station_key)::int AS station,
        count(*) FILTER (WHERE e.role = 'grid_worker' AND NOT EXISTS (SELECT 1 FROM user_grids g WHERE g.user_id = u.id AND g.area_id = c.base_grid_id))::int AS grid
      FROM case_events e JOIN cases c ON c.id = e.case_id JOIN users u ON u.id = e.user_id`)
    expect(wrong).toEqual({ station: 0, grid: 0 })
  })

  it('has pending, verified, converted and dismissed leads; each converted one became one case', async () => {
    const statuses = Object.fromEntries(
      (await rows(sql<{ status: string; n: number }>`SELECT status, count(*)::int AS n FROM leads GROUP BY 1`)).map((row) => [row.status, row.n]),
    )
    for (const status of LEAD_WORKFLOW.statuses) expect(statuses[status], status).toBeGreaterThan(0)
    const converted = await one(sql<{ n: number; with_case: number; linked: number }>`SELECT count(*)::int AS n,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM cases c WHERE c.lead_id = l.id AND c.source = 'lead'))::int AS with_case,
        count(*) FILTER (WHERE EXISTS (SELECT 1 FROM case_events e JOIN cases c ON c.lead_id = l.id
          WHERE e.lead_id = l.id AND e.action = 'convert' AND (e.changes -> 'convertedCase' -> 'after' ->> 'id')::bigint = c.id))::int AS linked
      FROM leads l WHERE l.status = 'converted'`)
    expect(converted.with_case).toBe(converted.n)
    expect(converted.linked).toBe(converted.n)
    const leadChain = await one(sql<{ bad: number }>`SELECT count(*)::int AS bad FROM leads l
      JOIN LATERAL (SELECT status_to, version FROM case_events e WHERE e.lead_id = l.id ORDER BY id DESC LIMIT 1) last ON true
      WHERE last.status_to <> l.status OR last.version <> l.version`)
    expect(leadChain.bad).toBe(0)
  })
})

describe('sample activity: key persons', () => {
  it('has about 300 persons, red few and green many, at households in their grids', async () => {
    const colours = Object.fromEntries(
      (await rows(sql<{ colour: string; n: number }>`SELECT colour, count(*)::int AS n FROM key_persons GROUP BY 1`)).map((row) => [row.colour, row.n]),
    )
    expect(colours.red).toBeGreaterThan(0)
    expect(colours.red).toBeLessThan(colours.orange)
    expect(colours.green).toBeGreaterThan(colours.yellow)
    const places = await one(sql<{ outside: number; statuses: number }>`SELECT
        count(*) FILTER (WHERE NOT ST_Intersects(f.geom, p.household_geom))::int AS outside, count(DISTINCT p.status)::int AS statuses
      FROM key_persons p JOIN area_versions f ON f.area_id = p.fine_grid_id AND f.version = p.fine_grid_version`)
    expect(places).toEqual({ outside: 0, statuses: 3 })
  })

  it('gives synthetic identities: 某 names, 1380000xxxx phones, valid 532901 identity numbers', async () => {
    const people = await rows(sql<{ name: string; phone: string | null; id_number: string; birth_year: number }>`
      SELECT name, phone, id_number, birth_year FROM key_persons`)
    for (const person of people) {
      expect(person.name).toMatch(/^.某.$/)
      if (person.phone !== null) expect(person.phone).toMatch(/^1380000\d{4}$/)
      expect(person.id_number.slice(0, 6)).toBe('532901')
      expect(person.id_number.at(-1)).toBe(idNumberCheck(person.id_number.slice(0, 17)))
      const [year, month, day] = [person.id_number.slice(6, 10), person.id_number.slice(10, 12), person.id_number.slice(12, 14)].map(Number)
      expect(year).toBe(person.birth_year)
      const date = new Date(Date.UTC(year, month - 1, day))
      expect(date.getUTCMonth() + 1).toBe(month)
      expect(date.getUTCDate()).toBe(day)
    }
  })

  it('visits per colour with about one visit in ten missed, so some persons are overdue', async () => {
    const gaps = await one(sql<{ late: number; n: number }>`WITH g AS (
        SELECT v.visited_at - lag(v.visited_at) OVER (PARTITION BY v.person_id ORDER BY v.visited_at) AS gap, v.next_due - v.visited_at AS allowed
        FROM key_person_visits v)
      SELECT count(*) FILTER (WHERE gap > allowed)::int AS late, count(gap)::int AS n FROM g`)
    expect(gaps.late / gaps.n).toBeGreaterThan(0.05)
    expect(gaps.late / gaps.n).toBeLessThan(0.2)
    const due = await one(sql<{ overdue: number; n: number }>`SELECT count(*) FILTER (WHERE v.next_due < ${AT})::int AS overdue, count(*)::int AS n
      FROM key_persons p JOIN LATERAL (SELECT next_due FROM key_person_visits v WHERE v.person_id = p.id ORDER BY visited_at DESC LIMIT 1) v ON true
      WHERE p.status <> 'released'`)
    expect(due.overdue / due.n).toBeGreaterThan(0.02)
    expect(due.overdue / due.n).toBeLessThan(0.25)
  })
})

describe('sample activity: sample users and bulk volume', () => {
  it('acts through sample users (示例) who cannot sign in', async () => {
    const users = await rows(sql<{ username: string; display_name: string; password_hash: string; role: string }>`
      SELECT username, display_name, password_hash, role FROM users WHERE username LIKE 'sample-%' ORDER BY username`)
    expect(users.filter((user) => user.role === 'grid_worker')).toHaveLength(13)
    for (const user of users) {
      expect(user.display_name).toContain('示例')
      expect(await verifyPassword(user.username, user.password_hash)).toBe(false)
    }
    const actors = await one(sql<{ n: number }>`SELECT count(*)::int AS n FROM case_events e JOIN users u ON u.id = e.user_id WHERE u.username NOT LIKE 'sample-%'`)
    expect(actors.n).toBe(0)
    const app = await buildApp({ engine: first.engine, logLevel: 'silent', login: { adminSecondFactor: 'off' } })
    try {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sample-dispatcher', password: '!' } })
      expect(response.statusCode).toBe(401)
    } finally {
      await app.close()
    }
  })

  it('keeps only registration entries in a bulk (benchmark) ledger', async () => {
    const before = (await sql<{ max: number }>`SELECT max(id)::int AS max FROM cases`.execute(second.engine.db)).rows[0].max
    const bulk = await second.engine.db.transaction().execute((trx) =>
      seedSampleActivity(trx, { asOf: AS_OF, seed: SEED + 1, cases: 700, keyPersons: 0, leads: 0, ledger: 'registration', geodataDir: GEODATA_DIR }),
    )
    expect(bulk).toMatchObject({ hazards: 400, disputes: 300, leads: 0, keyPersons: 0, ledger: 'registration', caseEvents: 700 })
    const { rows: found } = await sql<{ n: number; closed: number }>`SELECT count(*)::int AS n, count(*) FILTER (WHERE c.closed_at IS NOT NULL)::int AS closed
      FROM cases c WHERE c.id > ${before} AND (SELECT count(*) FROM case_events e WHERE e.case_id = c.id) = 1`.execute(second.engine.db)
    expect(found[0].n).toBe(700)
    expect(found[0].closed).toBeGreaterThan(500)
  })
})
