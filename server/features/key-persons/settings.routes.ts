import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { insertAuditEntry } from '../../core/audit/audit.repository.ts'
import {
  findCategory,
  getKeyPersonSettings,
  insertCategory,
  listCategories,
  listColours,
  updateCategory,
  updateColourInterval,
  updateKeyPersonSettings,
} from './settings.repository.ts'
import { auditActor } from '../../core/audit/audit.service.ts'
import { archiveReleasedPersons } from './retention.service.ts'
import { CategorySchema, ColourSchema, ColourSettingSchema } from './key-persons.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { roles, STAFF } from '../../core/auth/access.ts'

const SettingsSchema = Type.Object({
  categories: Type.Array(CategorySchema),
  colours: Type.Array(ColourSettingSchema),
  retentionDays: Type.Integer({ description: 'Released persons are archived this many days after release' }),
  dueSoonDays: Type.Integer({ description: 'A visit is "due soon" this many days before it is due' }),
  minAggregateCount: Type.Integer({
    description: 'k: roles that see counts only get no key-person count below k (shown as suppressed), and counts from k up rounded to a multiple of k',
  }),
})

const SETTINGS_SUBJECT = 'key_person_settings'

/** Categories, colour frequencies, retention (admin changes them) and the archive run. */
const keyPersonSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  async function readSettings() {
    const [categories, colours, settings] = await Promise.all([listCategories(app.db), listColours(app.db), getKeyPersonSettings(app.db)])
    return {
      categories,
      colours: colours.map(({ colour, labelZh, labelEn, visitIntervalDays }) => ({ colour, labelZh, labelEn, visitIntervalDays })),
      ...settings,
    }
  }

  app.get(
    '/settings',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Key persons'],
        summary: 'Categories, colours with their visit frequencies, and retention',
        response: { 200: SettingsSchema, ...errorResponses(401) },
      },
    },
    readSettings,
  )

  app.put(
    '/settings',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Key persons'],
        summary: 'Change the retention period, the due-soon window or the small-count threshold k (admin)',
        body: Type.Object(
          {
            retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
            dueSoonDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
            minAggregateCount: Type.Optional(Type.Integer({ minimum: 3, maximum: 50 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: SettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = auditActor(request)
      await app.db.transaction().execute(async (trx) => {
        await updateKeyPersonSettings(trx, request.body, actor.userId!)
        await insertAuditEntry(trx, actor, { action: 'settings', subjectKind: SETTINGS_SUBJECT, subjectIds: [], detail: request.body })
      })
      return readSettings()
    },
  )

  app.put(
    '/colours/:colour',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Key persons'],
        summary: 'Set the visit frequency of a colour (admin)',
        params: Type.Object({ colour: ColourSchema }),
        body: Type.Object({ visitIntervalDays: Type.Integer({ minimum: 1, maximum: 366 }) }, { additionalProperties: false }),
        response: { 200: SettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const actor = auditActor(request)
      await app.db.transaction().execute(async (trx) => {
        await updateColourInterval(trx, request.params.colour, request.body.visitIntervalDays, actor.userId!)
        await insertAuditEntry(trx, actor, {
          action: 'settings',
          subjectKind: SETTINGS_SUBJECT,
          subjectIds: [],
          detail: { colour: request.params.colour, ...request.body },
        })
      })
      return readSettings()
    },
  )

  app.post(
    '/categories',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Key persons'],
        summary: 'Add a category (admin)',
        body: Type.Object(
          {
            key: Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$', description: 'Stable key: lower-case letters, digits, _' }),
            labelZh: Type.String({ minLength: 1, maxLength: 50 }),
            labelEn: Type.String({ minLength: 1, maxLength: 100 }),
            sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CategorySchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const actor = auditActor(request)
      const category = { ...request.body, sortOrder: request.body.sortOrder ?? 100, active: true }
      await app.db.transaction().execute(async (trx) => {
        if (await findCategory(trx, category.key)) throw new HttpError(409, 'category_exists', { key: category.key })
        await insertCategory(trx, category)
        await insertAuditEntry(trx, actor, { action: 'settings', subjectKind: SETTINGS_SUBJECT, subjectIds: [], detail: { category } })
      })
      return reply.code(201).send(category)
    },
  )

  app.patch(
    '/categories/:key',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Key persons'],
        summary: 'Rename, reorder or deactivate a category (admin); persons keep their category',
        params: Type.Object({ key: Type.String({ maxLength: 40 }) }),
        body: Type.Object(
          {
            labelZh: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
            labelEn: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { 200: CategorySchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const actor = auditActor(request)
      const { key } = request.params
      return app.db.transaction().execute(async (trx) => {
        if (!(await updateCategory(trx, key, request.body))) {
          const available = (await listCategories(trx)).map((c) => c.key).join(', ')
          throw new HttpError(404, 'unknown_person_category', { key, available })
        }
        await insertAuditEntry(trx, actor, { action: 'settings', subjectKind: SETTINGS_SUBJECT, subjectIds: [], detail: { category: key, ...request.body } })
        return (await findCategory(trx, key))!
      })
    },
  )

  app.post(
    '/archive-run',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Key persons'],
        summary: 'Archive persons released longer ago than the retention period now (admin; also runs at start)',
        response: {
          200: Type.Object({ archived: Type.Integer(), ids: Type.Array(Type.Integer()), retentionDays: Type.Integer(), releasedBefore: Type.String() }),
          ...errorResponses(401, 403),
        },
      },
    },
    async (request) => {
      const report = await archiveReleasedPersons(app.db, new Date(), auditActor(request))
      return {
        archived: report.archivedIds.length,
        ids: report.archivedIds,
        retentionDays: report.retentionDays,
        releasedBefore: report.releasedBefore.toISOString(),
      }
    },
  )
}

export default keyPersonSettingsRoutes
