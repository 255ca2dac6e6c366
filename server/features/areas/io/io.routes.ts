import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { runWithDbScope, SYSTEM_SCOPE } from '../../../core/db/db-scope.ts'
import { importTownOf } from './import-town.ts'
import type { FastifyError } from 'fastify'
import { Type } from 'typebox'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { isDatabaseUnavailable } from '../../../core/db/db-unavailable.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { IMPORT_LIMIT_BYTES } from './limits.ts'
import { parseBoundaryFile } from './boundary-file.ts'
import { toFeatureCollection, toKml, toShapefileZip, type ExportFormat } from './export-format.ts'
import { ImportJobRegistry } from './import-jobs.ts'
import { sendError } from '../../../core/http/errors.plugin.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { findExportAreas } from './io.repository.ts'
import { ExportCrsQuery, exportCrsOf } from './export-crs.ts'
import { importBoundaries, type ImportLevel } from './import.service.ts'
import { ImportJobSchema, ImportQuery } from './io.schemas.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { roles, STAFF } from '../../../core/auth/access.ts'

const LEVELS = { villages: 'village', 'base-grids': 'base_grid', 'fine-grids': 'fine_grid' } as const satisfies Record<string, ImportLevel>
const CONTENT_TYPES: Record<ExportFormat, string> = {
  geojson: 'application/geo+json; charset=utf-8',
  zip: 'application/zip',
  kml: 'application/vnd.google-earth.kml+xml; charset=utf-8',
}

/**
 * Boundary import and export (issue 5).
 *
 * Import is admin-only and runs as a job: POST answers 202 with the job at
 * once (a file that cannot be read is a 400 and nothing happens), the client
 * polls GET /api/boundaries/imports/{id} for `processed`/`total` and finally
 * the report. Jobs are stored in the database (see ImportJobRegistry), so a
 * job and its report outlive a restart. The job holds one transaction: on
 * the embedded database other requests that need the database wait until it
 * ends. Export is open to every
 * signed-in role: boundaries are not personal data, and the OGC collections
 * already serve them.
 */
const boundaryIoRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const jobs = new ImportJobRegistry(app.db, app.engine.kind, (error, text) => app.log.error({ err: error }, text))
  // Jobs a previous run left running were rolled back with it: mark them failed, with why.
  app.addHook('onReady', async () => {
    // Every town's jobs: the system scope (row-level security, migration 0019).
    const failed = await runWithDbScope(SYSTEM_SCOPE, () => jobs.failInterrupted())
    if (failed > 0) app.log.warn({ failed }, 'boundary import jobs interrupted by a restart marked failed')
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT_BYTES }, (_request, body, done) => done(null, body))
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, request, 413, 'boundary_import_too_large', { limitMb: IMPORT_LIMIT_BYTES / 1024 / 1024 })
    throw error
  })

  app.post(
    '/imports',
    {
      config: { access: roles('admin') },
      bodyLimit: IMPORT_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Import boundaries of one level from GeoJSON, a zipped Shapefile or KML, as a job (admin)',
        description:
          'Send the file itself as the body (any content type, e.g. application/octet-stream; at most 32 MB, else 413); the format is ' +
          'recognised from the content. Each feature is matched by its code property (code, CODE, Code, 编码, 代码, area_code) to a current ' +
          'area of the level; name/NAME/名称, nameEn/name_en, households/户数 and population/人口 are taken when present. A matched area whose ' +
          'geometry (within 1e-7°, about 1 cm) and properties are the same is unchanged; otherwise it gets a new version, checked as an edit is. ' +
          'An unknown base or fine grid code whose parent code (the code less its last 3 digits) is current creates a grid there (numbered in ' +
          'reading order, like a grid drawn in the editor); other unknown codes are refused. Features are refused one by one with a reason and ' +
          'their problems; the accepted ones are written together as one boundary change. 202 with the job; 400 when the file cannot be read.',
        querystring: ImportQuery,
        response: { 202: ImportJobSchema, ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const body = request.body
      const bytes = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array()
      const parsed = await parseBoundaryFile(bytes)
      if (!parsed.valid) throw new HttpError(parsed.status ?? 400, parsed.reason, parsed.params)
      const { level: levelName, sourceCrs, reason, dryRun } = request.query
      const level = LEVELS[levelName]
      const townId = await importTownOf(app.db, user, request.query.townId)
      // The job and its import run in the town's scope: the job row is that town's, and
      // row-level security keeps the import to that town's areas (other towns' codes are refused).
      return runWithDbScope({ kind: 'town', townId }, async () => {
        const job = await jobs.start({ total: parsed.features.length, format: parsed.format, level: levelName, sourceCrs }, user.username, townId)
        const lang = request.lang
        const progress = (processed: number, phase: 'checking' | 'validating' | 'writing') => jobs.progress(job.id, processed, phase)
        void app.db
          .transaction()
          .execute(async (trx) => {
            await jobs.claim(trx, job.id)
            const report = await importBoundaries(trx, { features: parsed.features, level, sourceCrs, by: user.username, reason, lang, dryRun }, progress)
            await jobs.finishIn(trx, job.id, report)
            return report
          })
          .then(
            () => jobs.settled(job.id),
            (error: unknown) => {
              if (error instanceof HttpError) return jobs.fail(job.id, error.code, error.params)
              if (isDatabaseUnavailable(error)) return jobs.fail(job.id, 'database_unavailable', {})
              request.log.error({ err: error }, 'boundary import failed')
              return jobs.fail(job.id, 'internal')
            },
          )
        return reply.code(202).send(job)
      })
    },
  )

  app.get(
    '/imports/:id',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Boundaries'],
        summary: 'Progress and, when done, the report of an import job (admin)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: ImportJobSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id, request.lang)
      if (!job) throw new HttpError(404, 'boundary_import_not_found')
      return job
    },
  )

  for (const [levelName, level] of Object.entries(LEVELS) as Array<[keyof typeof LEVELS, AreaLevel]>) {
    for (const format of ['geojson', 'zip', 'kml'] as const) {
      app.get(
        `/export/${levelName}.${format}`,
        {
          config: { access: STAFF },
          schema: {
            tags: ['Boundaries'],
            summary: `Current ${levelName} as ${format === 'zip' ? 'a zipped Shapefile' : format.toUpperCase()}`,
            description:
              'Current versions with code, name, English name, level, parent code, households and population, in WGS84 unless `crs` ' +
              'names another CRS (CGCS2000 EPSG:4490, or its Gauss–Krüger zone EPSG:4542 in metres; KML is WGS84 only). The Shapefile ' +
              'has a .prj of that CRS and a UTF-8 .cpg (DBF columns code, name, name_en, level, parentcode, households, population); ' +
              'GeoJSON in another CRS names it in a `crs` member. Importing a WGS84 (or, with sourceCrs=cgcs2000, an EPSG:4490) file back ' +
              'reports every feature unchanged.',
            querystring: ExportCrsQuery,
            produces: [CONTENT_TYPES[format].split(';')[0]],
            response: { 200: Type.Unsafe<string | Buffer>({ type: 'string', format: 'binary', description: `${format} file` }), ...errorResponses(400, 401) },
          },
        },
        async (request, reply) => {
          const crs = await exportCrsOf(app.db, format, request.query.crs)
          const rows = await findExportAreas(app.db, level, crs?.output)
          const name = `gridatlas-${levelName}${crs ? `-${crs.fileSuffix}` : ''}`
          reply.header('content-disposition', `attachment; filename="${name}.${format}"`)
          reply.header('cache-control', 'no-store')
          reply.type(CONTENT_TYPES[format])
          if (format === 'geojson') return reply.send(JSON.stringify(toFeatureCollection(rows, crs?.urn)))
          if (format === 'kml') return reply.send(toKml(rows, name))
          return reply.send(await toShapefileZip(rows, name, crs?.prjWkt))
        },
      )
    }
  }
}

export default boundaryIoRoutes
