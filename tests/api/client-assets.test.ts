import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { precompressDir } from '../../scripts/vite-precompress.ts'
import { GEODATA_DIR } from '../setup/template.ts'
import { createTestApp, type TestApp } from '../support/test-app.ts'

/**
 * How the server sends the built client (issue 11, item 7): hashed assets
 * precompressed (brotli / gzip by `Accept-Encoding`) and cached for a year as
 * immutable, `index.html` revalidated on every load, the offline basemap
 * compressed too. The client folder is a small stand-in built here with the
 * same precompress step as `vite build`, so the test does not depend on a build.
 */

const BROWSER_ENCODINGS = 'gzip, deflate, br, zstd'
/** A module of a few kB, like a chunk (compressible, above the 1 kB floor). */
const CHUNK = Array.from({ length: 200 }, (_, i) => `export const value${i} = ${i} * 2; // chunk line ${i}`).join('\n')
const WORKER = `self.onmessage = (event) => self.postMessage(event.data);\n${CHUNK}`
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/index-AbCd_-12.js"></script></head><body><div id="app"></div></body></html>'

let clientDir: string
let testApp: TestApp

beforeAll(async () => {
  clientDir = await mkdtemp(join(tmpdir(), 'gridatlas-client-'))
  await mkdir(join(clientDir, 'assets'))
  await writeFile(join(clientDir, 'index.html'), INDEX)
  await writeFile(join(clientDir, 'assets/index-AbCd_-12.js'), CHUNK)
  await writeFile(join(clientDir, 'assets/maplibre-gl-worker-Zx9Yw8Vu.mjs'), WORKER)
  await writeFile(join(clientDir, 'favicon.svg'), `<svg xmlns="http://www.w3.org/2000/svg">${'<g/>'.repeat(400)}</svg>`)
  await precompressDir(clientDir)
  testApp = await createTestApp({ withClient: true, app: { clientDir } })
})

afterAll(async () => {
  await testApp?.close()
  await rm(clientDir, { recursive: true, force: true })
})

function get(url: string, headers: Record<string, string> = {}) {
  return testApp.app.inject({ method: 'GET', url, headers })
}

describe('hashed assets', () => {
  it('come brotli-encoded to a browser, immutable for a year, and decode to the file', async () => {
    const response = await get('/assets/index-AbCd_-12.js', { 'accept-encoding': BROWSER_ENCODINGS })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-encoding']).toBe('br')
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(String(response.headers.vary)).toMatch(/accept-encoding/i)
    expect(response.headers['content-type']).toMatch(/javascript/)
    expect(response.rawPayload.length).toBeLessThan(CHUNK.length / 3)
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(CHUNK)
  })

  it('come gzip-encoded when brotli is not accepted', async () => {
    const response = await get('/assets/index-AbCd_-12.js', { 'accept-encoding': 'gzip' })
    expect(response.headers['content-encoding']).toBe('gzip')
    expect(response.headers['cache-control']).toContain('immutable')
    expect(gunzipSync(response.rawPayload).toString()).toBe(CHUNK)
  })

  it('come as they are without Accept-Encoding, or when br and gzip are refused', async () => {
    const variants: Array<Record<string, string>> = [{}, { 'accept-encoding': 'br;q=0, gzip;q=0, identity' }]
    for (const headers of variants) {
      const response = await get('/assets/index-AbCd_-12.js', headers)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-encoding']).toBeUndefined()
      expect(response.headers['cache-control']).toContain('immutable')
      expect(response.body).toBe(CHUNK)
    }
  })

  it('include the MapLibre worker (.mjs) as JavaScript, which a module worker requires', async () => {
    const response = await get('/assets/maplibre-gl-worker-Zx9Yw8Vu.mjs', { 'accept-encoding': BROWSER_ENCODINGS })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/javascript/)
    expect(response.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(response.rawPayload).toString()).toBe(WORKER)
  })

  it('a missing asset is a 404 that no cache keeps', async () => {
    const response = await get('/assets/index-Gone1234.js', { 'accept-encoding': BROWSER_ENCODINGS })
    expect(response.statusCode).toBe(404)
    expect(String(response.headers['cache-control'] ?? '')).not.toContain('immutable')
  })
})

describe('index.html and other files', () => {
  it('index.html is revalidated on every load, at / and at client routes', async () => {
    for (const url of ['/', '/index.html', '/some/client/route']) {
      const response = await get(url, { 'accept-encoding': BROWSER_ENCODINGS })
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['cache-control'], url).toBe('no-cache')
      expect(response.body, url).toBe(INDEX)
    }
  })

  it('an unhashed file (favicon) is cached for an hour only, and compressed', async () => {
    const response = await get('/favicon.svg', { 'accept-encoding': 'gzip' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['cache-control']).toBe('public, max-age=3600')
    expect(response.headers['content-encoding']).toBe('gzip')
  })
})

describe('offline basemap', () => {
  it('is sent compressed with an ETag, decodes to the geodata file, and answers 304 when unchanged', async () => {
    const plain = await readFile(join(GEODATA_DIR, 'basemap.geojson'))
    const br = await get('/basemap/xizhou.geojson', { 'accept-encoding': BROWSER_ENCODINGS })
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.headers['content-type']).toMatch(/geo\+json/)
    expect(br.rawPayload.length).toBeLessThan(plain.length / 3)
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true)

    const gz = await get('/basemap/xizhou.geojson', { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true)
    expect(gz.headers.etag).not.toBe(br.headers.etag)

    const again = await get('/basemap/xizhou.geojson', { 'accept-encoding': BROWSER_ENCODINGS, 'if-none-match': String(br.headers.etag) })
    expect(again.statusCode).toBe(304)
    expect(again.rawPayload.length).toBe(0)

    const identity = await get('/basemap/xizhou.geojson')
    expect(identity.headers['content-encoding']).toBeUndefined()
    expect(identity.rawPayload.equals(plain)).toBe(true)
  })
})
