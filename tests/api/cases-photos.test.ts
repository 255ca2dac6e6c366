import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp, type TestApp, type TestUser } from '../support/test-app.ts'
import { caseClient, gridPoints, hazardFeature, signInStation, disputeFeature, type GridPoint } from '../support/cases.ts'

let t: TestApp
let c: ReturnType<typeof caseClient>
let own: GridPoint
let elsewhere: GridPoint
let users: Record<'leader' | 'dispatcher' | 'station' | 'gridWorker' | 'otherGridWorker', TestUser>

/** Bytes that start like a JPEG, PNG or WebP (the server checks magic numbers, not the whole image). */
const jpeg = (size = 2048) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(size - 4, 7)])
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)])
const webp = () => Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(300, 2)])

interface FilePart {
  name: string
  type: string
  bytes: Buffer
}

/** A multipart/form-data body with one "photo" part per file. */
function multipart(files: FilePart[]) {
  const boundary = `----gridatlas${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const file of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`))
    chunks.push(file.bytes, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

const upload = (user: TestUser, id: number, files: FilePart[], lang = 'zh') => {
  const body = multipart(files)
  return t.app.inject({
    method: 'POST',
    url: `/api/cases/${id}/photos`,
    headers: { ...user.headers, 'content-type': body.contentType, 'accept-language': lang },
    payload: body.payload,
  })
}

const photoRows = async (id: number) =>
  Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_photos WHERE case_id = ${id}`.execute(t.database.engine.db)).rows[0].n)

const newHazard = async (point = own) => (await c.register(users.dispatcher, 'hazards', hazardFeature(point))).json().id as number

beforeAll(async () => {
  t = await createTestApp()
  c = caseClient(t)
  const points = await gridPoints(t.database.engine.db)
  own = points[0]
  elsewhere = points.find((p) => p.villageId !== own.villageId)!
  users = {
    leader: await t.signIn('leader'),
    dispatcher: await t.signIn('dispatcher'),
    station: await signInStation(t, 'legal-mediation'),
    gridWorker: await t.signIn('grid_worker', { gridIds: [own.baseGridId] }),
    otherGridWorker: await t.signIn('grid_worker', { gridIds: [elsewhere.fineGridId] }),
  }
})
afterAll(() => t?.close())

describe('case photos', () => {
  it('stores JPEG, PNG and WebP uploads of the case’s grid worker, lists them and streams them back', async () => {
    const id = (await c.register(users.gridWorker, 'hazards', hazardFeature(own))).json().id
    const response = await upload(users.gridWorker, id, [
      { name: '现场1.jpg', type: 'image/jpeg', bytes: jpeg() },
      { name: 'scene.png', type: 'image/png', bytes: png() },
      { name: 'scene.webp', type: 'application/octet-stream', bytes: webp() },
    ])
    expect(response.statusCode, response.body).toBe(201)
    const { photos } = response.json()
    expect(photos.map((p: { contentType: string }) => p.contentType)).toEqual(['image/jpeg', 'image/png', 'image/webp'])
    expect(photos[0]).toMatchObject({ originalName: '现场1.jpg', sizeBytes: 2048, url: `/api/cases/${id}/photos/${photos[0].id}` })
    const listed = await c.get(users.leader, `/api/cases/${id}/photos`)
    expect(listed.json().photos).toHaveLength(3)
    const image = await c.get(users.leader, photos[0].url)
    expect(image.statusCode).toBe(200)
    expect(image.headers['content-type']).toBe('image/jpeg')
    expect(image.rawPayload.equals(jpeg())).toBe(true)
    const { rows } = await sql<{ file_name: string }>`SELECT file_name FROM case_photos WHERE case_id = ${id} ORDER BY id`.execute(t.database.engine.db)
    expect(rows.map((row) => row.file_name)).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.jpg$/), expect.stringMatching(/\.png$/), expect.stringMatching(/\.webp$/)])
  })

  it('records each upload in the ledger without changing the case’s status or version', async () => {
    const id = await newHazard()
    expect((await upload(users.dispatcher, id, [{ name: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }])).statusCode).toBe(201)
    expect((await upload(users.dispatcher, id, [{ name: 'b.png', type: 'image/png', bytes: png() }, { name: 'c.png', type: 'image/png', bytes: png() }])).statusCode).toBe(201)
    const timeline = (await c.get(users.dispatcher, `/api/cases/hazard/${id}/timeline`)).json()
    expect(timeline.version).toBe(1)
    expect(timeline.status).toBe('reported')
    const photoEntries = timeline.events.filter((e: { action: string }) => e.action === 'add-photo')
    expect(photoEntries).toEqual([
      expect.objectContaining({ username: users.dispatcher.username, statusFrom: 'reported', statusTo: 'reported', changes: { photos: { before: 0, after: 1 } } }),
      expect.objectContaining({ changes: { photos: { before: 1, after: 3 } } }),
    ])
  })

  it('refuses leaders (403), other grids’ workers (404, upload and download) and stations not handling the case (403)', async () => {
    const id = await newHazard()
    const stored = (await upload(users.dispatcher, id, [{ name: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }])).json().photos[0]
    const leader = await upload(users.leader, id, [{ name: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }], 'en')
    expect(leader.statusCode).toBe(403)
    expect(leader.json()).toMatchObject({ code: 'photo_forbidden', message: expect.stringContaining('photos') })
    expect((await upload(users.otherGridWorker, id, [{ name: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }])).statusCode).toBe(404)
    expect((await c.get(users.otherGridWorker, stored.url)).statusCode).toBe(404)
    expect((await c.get(users.otherGridWorker, `/api/cases/${id}/photos`)).statusCode).toBe(404)
    expect((await upload(users.station, id, [{ name: 'a.jpg', type: 'image/jpeg', bytes: jpeg() }])).statusCode).toBe(403)
    expect((await c.get(users.gridWorker, stored.url)).statusCode).toBe(200)
    expect((await c.get(users.dispatcher, `/api/cases/${id}/photos/${stored.id + 1000}`)).statusCode).toBe(404)
    expect(await photoRows(id)).toBe(1)
  })

  it('lets the station a dispute is dispatched to add photos', async () => {
    const id = (await c.register(users.dispatcher, 'disputes', disputeFeature(own, [own.villageId]))).json().id
    expect((await c.act(users.dispatcher, 'disputes', id, 'dispatch', { stationKey: 'legal-mediation' })).statusCode).toBe(200)
    expect((await upload(users.station, id, [{ name: 'agreement.jpg', type: 'image/jpeg', bytes: jpeg() }])).statusCode).toBe(201)
  })

  it('refuses files that are not JPEG, PNG or WebP by their bytes (415), keeping none of the batch', async () => {
    const id = await newHazard()
    const gif = Buffer.from('GIF89a......')
    const response = await upload(
      users.dispatcher,
      id,
      [
        { name: 'good.jpg', type: 'image/jpeg', bytes: jpeg() },
        { name: 'fake.jpg', type: 'image/jpeg', bytes: gif },
      ],
      'en',
    )
    expect(response.statusCode).toBe(415)
    expect(response.json()).toMatchObject({ code: 'photo_bad_type', message: expect.stringContaining('fake.jpg') })
    expect((await upload(users.dispatcher, id, [{ name: 'notes.txt', type: 'text/plain', bytes: Buffer.from('hello world') }])).statusCode).toBe(415)
    const json = await t.app.inject({ method: 'POST', url: `/api/cases/${id}/photos`, headers: users.dispatcher.headers, payload: { url: 'x' } })
    expect(json.statusCode).toBe(415)
    expect(await photoRows(id)).toBe(0)
    const ledger = (await c.get(users.dispatcher, `/api/cases/hazard/${id}/timeline`)).json().events
    expect(ledger.map((e: { action: string }) => e.action)).toEqual(['register'])
  })

  it('refuses a photo over 10 MB (413) and an empty upload (400)', async () => {
    const id = await newHazard()
    const big = await upload(users.dispatcher, id, [{ name: 'big.jpg', type: 'image/jpeg', bytes: jpeg(10 * 1024 * 1024 + 1) }])
    expect(big.statusCode).toBe(413)
    expect(big.json()).toMatchObject({ code: 'photo_too_large', message: expect.stringContaining('10 MB') })
    const empty = await upload(users.dispatcher, id, [])
    expect(empty.statusCode).toBe(400)
    expect(empty.json().code).toBe('photo_required')
    expect(await photoRows(id)).toBe(0)
    expect((await upload(users.dispatcher, id, [{ name: 'max.jpg', type: 'image/jpeg', bytes: jpeg(10 * 1024 * 1024) }])).statusCode).toBe(201)
  })

  it('keeps at most 9 photos per case (400), across uploads and within one', async () => {
    const id = await newHazard()
    const files = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}.jpg`, type: 'image/jpeg', bytes: jpeg() }))
    const tooMany = await upload(users.dispatcher, id, files(10))
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.json().code).toBe('photo_batch_limit')
    expect(await photoRows(id)).toBe(0)
    expect((await upload(users.dispatcher, id, files(7))).statusCode).toBe(201)
    const over = await upload(users.dispatcher, id, files(3), 'en')
    expect(over.statusCode).toBe(400)
    expect(over.json()).toMatchObject({ code: 'photo_limit', message: 'At most 9 photos per case; it already has 7' })
    expect((await upload(users.dispatcher, id, files(2))).statusCode).toBe(201)
    expect(await photoRows(id)).toBe(9)
  })
})
