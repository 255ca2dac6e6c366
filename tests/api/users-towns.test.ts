import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENGINE_UNDER_TEST } from '../support/test-database.ts'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { addSecondTown, sampleTownId, type SecondTown } from '../support/second-town.ts'
import { resolveTownOption } from '../../scripts/user-town.ts'
import { gridSpots, personBody } from '../support/key-persons.ts'
import { runWithDbScope } from '../../server/core/db/db-scope.ts'
import { ImportJobRegistry } from '../../server/features/areas/io/import-jobs.ts'

/*
 * User administration per town (issue 13): a town's user and security
 * administrators see and act on the users of their own town only; another
 * town's user answers 404 exactly like a missing one, and nothing changes.
 * County administrators (no town) keep the whole county. A county
 * administrator names the town of what they create (import jobs, users).
 */

let t: TestApp
let townA: number
let b: SecondTown
/** Town B's dispatcher: the user town A's administrators try to reach. */
let victim: TestUser
let victimToken: string
let victimSessionId: number
let victimTokenId: number
const LOCKED_ADDRESS = '198.51.100.77'

const db = () => t.database.engine.db

beforeAll(async () => {
  t = await createTestApp()
  townA = await sampleTownId(t)
  b = await addSecondTown(t)
  victim = b.users.dispatcher!
  victimToken = await t.tokenFor(victim)
  victimSessionId = Number((await db().selectFrom('sessions').select('id').where('user_id', '=', victim.id).executeTakeFirstOrThrow()).id)
  victimTokenId = Number((await db().selectFrom('api_tokens').select('id').where('user_id', '=', victim.id).executeTakeFirstOrThrow()).id)
  const lockedUntil = new Date(Date.now() + 3_600_000)
  await db()
    .insertInto('login_throttle')
    .values([
      { kind: 'username', key: victim.username, failures: 9, locked_until: lockedUntil },
      { kind: 'address', key: LOCKED_ADDRESS, failures: 9, locked_until: lockedUntil },
    ])
    .execute()
  await db().insertInto('user_second_factors').values({ user_id: victim.id, secret: 'sealed-test-secret', enabled_at: new Date(), pending_secret: null, pending_created_at: null }).execute()
}, 120_000)

afterAll(async () => {
  await t?.close()
})

/** Everything about the victim that a route of town A's administrators could change. */
async function victimState() {
  const user = await db().selectFrom('users').select(['disabled', 'role', 'password_hash', 'town_id']).where('id', '=', victim.id).executeTakeFirstOrThrow()
  const sessions = await db().selectFrom('sessions').select('id').where('user_id', '=', victim.id).orderBy('id').execute()
  const tokens = await db().selectFrom('api_tokens').select(['id', 'revoked_at']).where('user_id', '=', victim.id).orderBy('id').execute()
  const locks = await db().selectFrom('login_throttle').select(['kind', 'key', 'failures']).where('key', 'in', [victim.username, LOCKED_ADDRESS]).orderBy('kind').execute()
  const factor = await db().selectFrom('user_second_factors').select('secret').where('user_id', '=', victim.id).execute()
  return { user, sessions, tokens, locks, factor }
}

/** Every user route that takes a user id, with a body where it needs one. */
function userRoutes(userId: number, sessionId: number, tokenId: number) {
  return [
    { method: 'PATCH', url: `/api/users/${userId}`, payload: { disabled: true } },
    { method: 'PATCH', url: `/api/users/${userId}`, payload: { role: 'leader' } },
    { method: 'POST', url: `/api/users/${userId}/password`, payload: { password: 'copper-kettle-winter-42' } },
    { method: 'DELETE', url: `/api/users/${userId}/credentials` },
    { method: 'GET', url: `/api/users/${userId}/sessions` },
    { method: 'DELETE', url: `/api/users/${userId}/sessions/${sessionId}` },
    { method: 'GET', url: `/api/users/${userId}/tokens` },
    { method: 'POST', url: `/api/users/${userId}/tokens`, payload: { name: 'from another town' } },
    { method: 'DELETE', url: `/api/users/${userId}/tokens/${tokenId}` },
    { method: 'DELETE', url: `/api/security/users/${userId}/second-factor` },
  ] as const
}

describe(`a town's administrators and another town's users (${ENGINE_UNDER_TEST})`, () => {
  it('a town security administrator gets 404 on every route about another town\'s user, like a missing user, and nothing changes', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const before = await victimState()
    const missingId = 2_000_000_000
    const answers: string[] = []
    for (const route of userRoutes(victim.id, victimSessionId, victimTokenId)) {
      const response = await t.app.inject({ method: route.method, url: route.url, headers: security.headers, ...('payload' in route ? { payload: route.payload } : {}) })
      answers.push(`${route.method} ${route.url} ${response.statusCode} ${response.json().code}`)
      const missing = await t.app.inject({
        method: route.method,
        url: route.url.replace(String(victim.id), String(missingId)),
        headers: security.headers,
        ...('payload' in route ? { payload: route.payload } : {}),
      })
      // The same answer as for a user that does not exist (the id in the message aside).
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(missing.statusCode)
      expect(response.json().code, `${route.method} ${route.url}`).toBe(missing.json().code)
    }
    expect(answers.every((answer) => / 404 user_not_found$/.test(answer)), answers.join('\n')).toBe(true)
    expect(await victimState()).toEqual(before)
    // The victim still works with their session and token.
    expect((await t.app.inject({ url: '/api/auth/me', headers: victim.headers })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${victimToken}` } })).statusCode).toBe(200)
  })

  it('lists and counts contain only the town\'s users (user list, security list, lockouts)', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const admin = await t.signIn('admin', { townId: townA })
    const county = await t.signIn('security_admin', { townId: null })
    const statuses = (await t.app.inject({ url: '/api/security/users', headers: security.headers })).json().users as Array<{ id: number; townId: number | null }>
    expect(statuses.length).toBeGreaterThan(0)
    expect(statuses.filter((user) => user.townId !== townA)).toEqual([])
    expect(statuses.map((user) => user.id)).not.toContain(county.id)
    const users = (await t.app.inject({ url: '/api/users', headers: admin.headers })).json().users as Array<{ id: number; townId: number | null }>
    expect(users.filter((user) => user.townId !== townA)).toEqual([])
    const locks = (await t.app.inject({ url: '/api/security/lockouts', headers: security.headers })).json().lockouts as Array<{ key: string }>
    expect(locks.map((lock) => lock.key)).not.toContain(victim.username)
    // An address is no town's: its lock is the county's to see and lift.
    expect(locks.map((lock) => lock.key)).not.toContain(LOCKED_ADDRESS)
  })

  it('a town security administrator cannot lift another town\'s user\'s lock or an address lock (404, the lock stays)', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const before = await victimState()
    const byName = await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/${victim.username}`, headers: security.headers })
    expect(byName.statusCode).toBe(404)
    expect(byName.json().code).toBe('lockout_not_found')
    const byAddress = await t.app.inject({ method: 'DELETE', url: `/api/security/lockouts/address/${LOCKED_ADDRESS}`, headers: security.headers })
    expect(byAddress.statusCode).toBe(404)
    expect(await victimState()).toEqual(before)
  })

  it('a town security administrator cannot reach a county user either', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const countyLeader = await t.signIn('county_leader')
    const response = await t.app.inject({ method: 'PATCH', url: `/api/users/${countyLeader.id}`, headers: security.headers, payload: { disabled: true } })
    expect(response.statusCode).toBe(404)
    const row = await db().selectFrom('users').select('disabled').where('id', '=', countyLeader.id).executeTakeFirstOrThrow()
    expect(row.disabled).toBe(false)
  })

  it('a town security administrator still manages its own town\'s users', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const own = await t.signIn('station', { townId: townA })
    const sessions = await t.app.inject({ url: `/api/users/${own.id}/sessions`, headers: security.headers })
    expect(sessions.statusCode).toBe(200)
    expect(sessions.json().sessions).toHaveLength(1)
    const disabled = await t.app.inject({ method: 'PATCH', url: `/api/users/${own.id}`, headers: security.headers, payload: { disabled: true } })
    expect(disabled.statusCode, disabled.body).toBe(200)
    expect(disabled.json().user).toMatchObject({ id: own.id, disabled: true })
  })

  it('a town security administrator cannot give a town user a county role (4xx, nothing changes)', async () => {
    const security = await t.signIn('security_admin', { townId: townA })
    const own = await t.signIn('leader', { townId: townA })
    const response = await t.app.inject({ method: 'PATCH', url: `/api/users/${own.id}`, headers: security.headers, payload: { role: 'county_leader' } })
    expect(response.statusCode).toBe(403)
    expect(response.json().code).toBe('county_user_by_town_admin')
    const row = await db().selectFrom('users').select(['role', 'town_id']).where('id', '=', own.id).executeTakeFirstOrThrow()
    expect(row.role).toBe('leader')
  })

  it('the county security administrator sees and manages both towns', async () => {
    const county = await t.signIn('security_admin', { townId: null })
    const statuses = (await t.app.inject({ url: '/api/security/users', headers: county.headers })).json().users as Array<{ id: number; townId: number | null }>
    const towns = new Set(statuses.map((user) => user.townId))
    expect(towns.has(townA)).toBe(true)
    expect(towns.has(b.townId)).toBe(true)
    expect(towns.has(null)).toBe(true)
    const locks = (await t.app.inject({ url: '/api/security/lockouts', headers: county.headers })).json().lockouts as Array<{ key: string }>
    expect(locks.map((lock) => lock.key)).toEqual(expect.arrayContaining([victim.username, LOCKED_ADDRESS]))
    const tokens = await t.app.inject({ url: `/api/users/${victim.id}/tokens`, headers: county.headers })
    expect(tokens.statusCode).toBe(200)
    expect(tokens.json().tokens.map((token: { id: number }) => token.id)).toContain(victimTokenId)
    const changed = await t.app.inject({ method: 'PATCH', url: `/api/users/${victim.id}`, headers: county.headers, payload: { role: 'county_leader' } })
    // A county role has no town: the user would have to leave their town first.
    expect(changed.statusCode).toBe(400)
    expect(changed.json().code).toBe('county_role_for_town_user')
  })

  it('a key person\'s responsible user must be of the registering user\'s town: another town\'s grid worker is unknown (400 like a missing one)', async () => {
    const dispatcher = await t.signIn('dispatcher', { townId: townA })
    const workerA = await t.signIn('grid_worker', { townId: townA })
    const [spot] = await gridSpots(t, 1)
    const register = (responsibleUserId: number) =>
      t.app.inject({ method: 'POST', url: '/api/key-persons', headers: dispatcher.headers, payload: personBody(spot, { responsibleUserId }) })
    const foreign = await register(b.users.grid_worker!.id)
    const missing = await register(2_000_000_000)
    expect(foreign.statusCode).toBe(400)
    expect(foreign.json().code).toBe(missing.json().code)
    expect((await register(workerA.id)).statusCode).toBe(201)
  })

  it('the county user administrator lists both towns\' users', async () => {
    const admin = await t.signIn('admin', { townId: null })
    const users = (await t.app.inject({ url: '/api/users', headers: admin.headers })).json().users as Array<{ townId: number | null }>
    const towns = new Set(users.map((user) => user.townId))
    expect(towns.has(townA) && towns.has(b.townId)).toBe(true)
  })
})

/** Starts an import of `file` as `user` and waits for the job to end (or returns the refusal). */
async function runImport(user: TestUser, file: Buffer, townId?: number | string) {
  const town = townId === undefined ? '' : `&townId=${townId}`
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=%E5%8E%BF%E7%BA%A7%E5%AF%BC%E5%85%A5${town}`,
    headers: { ...user.headers, 'content-type': 'application/octet-stream' },
    payload: file,
  })
  if (started.statusCode !== 202) return { started, job: undefined }
  let job = started.json()
  while (job.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 20))
    job = (await t.app.inject({ url: `/api/boundaries/imports/${job.id}`, headers: user.headers })).json()
  }
  return { started, job }
}

/** The fine grids of one town as a GeoJSON file, as its own administrator exports them. */
async function exportedFineGrids(user: TestUser): Promise<Buffer> {
  const exported = await t.app.inject({ url: '/api/boundaries/export/fine-grids.geojson', headers: user.headers })
  expect(exported.statusCode).toBe(200)
  return exported.rawPayload
}

describe(`county administrators name the town of what they create (${ENGINE_UNDER_TEST})`, () => {
  it('a boundary import by a county administrator: 400 without townId (zh and en), 400 for an unknown town, done in the named town', async () => {
    const county = await t.signIn('admin', { townId: null })
    const fileB = await exportedFineGrids(b.users.admin!)
    const missing = await runImport(county, fileB)
    // Before: 500 (the database could not tell the job's town).
    expect(missing.started.statusCode, missing.started.body).toBe(400)
    expect(missing.started.json().code).toBe('import_town_required')
    expect(missing.started.json().message).toContain('townId')
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/boundaries/imports?level=fine-grids&sourceCrs=wgs84&reason=x',
      headers: { ...county.headers, 'content-type': 'application/octet-stream', 'accept-language': 'en' },
      payload: fileB,
    })
    expect(en.json().message).toMatch(/name the town.*townId/i)
    const unknown = await runImport(county, fileB, 999_999)
    expect(unknown.started.statusCode).toBe(400)
    expect(unknown.started.json().code).toBe('unknown_town')
    const jobsBefore = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM boundary_import_jobs`.execute(db())).rows[0].n
    expect(jobsBefore).toBe(0)

    const done = await runImport(county, fileB, b.townId)
    expect(done.started.statusCode, done.started.body).toBe(202)
    expect(done.job.status, JSON.stringify(done.job.error)).toBe('done')
    expect(done.job.report.unchanged.length).toBe(1)
    const { rows } = await sql<{ town_id: number }>`SELECT town_id FROM boundary_import_jobs WHERE id = ${done.job.id}::uuid`.execute(db())
    expect(rows.map((row) => Number(row.town_id))).toEqual([b.townId])
    // Town B's administrator reads the job; town A's does not see it.
    expect((await t.app.inject({ url: `/api/boundaries/imports/${done.job.id}`, headers: b.users.admin!.headers })).statusCode).toBe(200)
    const adminA = await t.signIn('admin', { townId: townA })
    expect((await t.app.inject({ url: `/api/boundaries/imports/${done.job.id}`, headers: adminA.headers })).statusCode).toBe(404)
  })

  it('an import into a named town touches that town only: another town\'s grids in the file are refused, not changed', async () => {
    const county = await t.signIn('admin', { townId: null })
    const adminA = await t.signIn('admin', { townId: townA })
    const fileA = await exportedFineGrids(adminA)
    const versionsBefore = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_versions`.execute(db())).rows[0].n
    const { job } = await runImport(county, fileA, b.townId)
    expect(job.status, JSON.stringify(job.error)).toBe('done')
    expect(job.report.unchanged).toHaveLength(0)
    expect(job.report.refused.length).toBe(job.total)
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM area_versions`.execute(db())).rows[0].n).toBe(versionsBefore)
  })

  it('a town administrator imports into their own town without townId, and may not name another town', async () => {
    const adminB = b.users.admin!
    const fileB = await exportedFineGrids(adminB)
    const own = await runImport(adminB, fileB)
    expect(own.started.statusCode, own.started.body).toBe(202)
    expect(own.job.status).toBe('done')
    const other = await runImport(adminB, fileB, townA)
    expect(other.started.statusCode).toBe(400)
    expect(other.started.json().code).toBe('unknown_town')
  })

  it('a running job, answered from the memory of the process running it, is not shown to another town either', async () => {
    const registry = new ImportJobRegistry(db(), t.database.engine.kind, () => {})
    const fields = { total: 1, format: 'geojson', level: 'fine-grids', sourceCrs: 'wgs84' }
    const job = await runWithDbScope({ kind: 'town', townId: b.townId }, () => registry.start(fields, 'memory-test', b.townId))
    expect(await runWithDbScope({ kind: 'town', townId: townA }, () => registry.get(job.id, 'zh'))).toBeUndefined()
    expect(await runWithDbScope({ kind: 'town', townId: b.townId }, () => registry.get(job.id, 'zh'))).toMatchObject({ id: job.id, status: 'running' })
    expect(await runWithDbScope({ kind: 'county' }, () => registry.get(job.id, 'zh'))).toMatchObject({ id: job.id })
    await runWithDbScope({ kind: 'county' }, () => registry.fail(job.id, 'internal'))
  })

  it('a user of a town role created by a county administrator: 400 without townId, in the named town with it', async () => {
    const county = await t.signIn('admin', { townId: null })
    const body = { username: 'county-made-dispatcher', password: 'river-lantern-autumn-9', role: 'dispatcher' }
    const missing = await t.app.inject({ method: 'POST', url: '/api/users', headers: county.headers, payload: body })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().code).toBe('town_required')
    const created = await t.app.inject({ method: 'POST', url: '/api/users', headers: county.headers, payload: { ...body, townId: b.townId } })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().user.townId).toBe(b.townId)
  })
})

describe(`user:create --town (${ENGINE_UNDER_TEST})`, () => {
  it('takes a town by id or code, requires it for town roles when there are several towns, and refuses an unknown one', async () => {
    const bCode = (await sql<{ code: string }>`SELECT code FROM current_areas WHERE area_id = ${b.townId}`.execute(db())).rows[0].code
    expect(await resolveTownOption(db(), 'leader', String(b.townId))).toBe(b.townId)
    expect(await resolveTownOption(db(), 'leader', bCode)).toBe(b.townId)
    expect(await resolveTownOption(db(), 'leader', bCode.slice(0, 9))).toBe(b.townId)
    await expect(resolveTownOption(db(), 'leader', undefined)).rejects.toThrow(/--town is required.*532901150/)
    await expect(resolveTownOption(db(), 'grid_worker', '999999999')).rejects.toThrow(/No town "999999999".*532901150/)
    await expect(resolveTownOption(db(), 'county_leader', bCode)).rejects.toThrow(/county role.*--town/i)
    // Administrators without --town are county administrators.
    expect(await resolveTownOption(db(), 'security_admin', undefined)).toBeNull()
    expect(await resolveTownOption(db(), 'security_admin', String(townA))).toBe(townA)
    expect(await resolveTownOption(db(), 'county_dispatcher', undefined)).toBeNull()
  })

  // The script on the same database, as an operator runs it (PostgreSQL only: PGlite is in this process).
  it.skipIf(ENGINE_UNDER_TEST !== 'postgres')('npm run user:create: --town names the town; without it a town role is refused with the towns listed', async () => {
    const run = promisify(execFile)
    const env = { ...process.env, DATABASE_URL: t.database.url }
    const script = ['tsx', 'scripts/user-create.ts', '--password', 'river-lantern-autumn-9']
    const refused = await run('npx', [...script, '--username', 'cli-leader-none', '--role', 'leader'], { env }).catch((error: { code: number; stderr: string }) => error)
    expect((refused as { code: number }).code).toBe(1)
    expect((refused as { stderr: string }).stderr).toMatch(/--town is required for role leader.*532901150000/)
    const made = await run('npx', [...script, '--username', 'cli-leader-b', '--role', 'leader', '--town', '532901150'], { env })
    expect(made.stdout).toContain(`town ${b.townId}`)
    const row = await db().selectFrom('users').select('town_id').where('username', '=', 'cli-leader-b').executeTakeFirstOrThrow()
    expect(Number(row.town_id)).toBe(b.townId)
    expect(await db().selectFrom('users').select('id').where('username', '=', 'cli-leader-none').executeTakeFirst()).toBeUndefined()
  }, 120_000)
})
