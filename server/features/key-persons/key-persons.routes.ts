import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { publishKeyPersonEvent } from './live.ts'
import { toKeyPersonDto, toVisitDto } from './person-dto.ts'
import { baseUrl } from '../../core/ogc/links.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { insertAuditEntry } from '../../core/audit/audit.repository.ts'
import { findAreaLabels, findKeyPerson, findKeyPersons, findVisits } from './key-persons.repository.ts'
import { auditActor, runAudited } from '../../core/audit/audit.service.ts'
import { parseIfMatch } from '../../core/http/if-match.ts'
import { IDENTITY_ACCESS, personScope } from './access.ts'
import { RevealReasonSchema } from '../../core/privacy/reveal-reason.ts'
import {
  applyKeyPersonChange,
  KEY_PERSON_SUBJECT,
  personFor,
  recordVisit,
  registerKeyPerson,
  revealFields,
} from './key-persons.service.ts'
import {
  CreateKeyPersonSchema,
  CreateVisitSchema,
  KeyPersonListQuery,
  KeyPersonSchema,
  PatchKeyPersonSchema,
  RevealedFieldsSchema,
  RevealFieldSchema,
  VisitSchema,
} from './key-persons.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

/** Key persons (重点人员): register, list, read, change, reveal, visit. */
const keyPersonsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Key persons the caller may see (grid workers: their grids), masked; audited',
        querystring: KeyPersonListQuery,
        response: {
          200: Type.Object({ persons: Type.Array(KeyPersonSchema), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { limit = 50, offset = 0, ...filter } = request.query
      const now = new Date()
      return app.db.transaction().execute(async (trx) => {
        const page = await findKeyPersons(trx, now, personScope(user)!, filter, { limit, offset })
        await insertAuditEntry(trx, auditActor(request), {
          action: 'list',
          subjectKind: KEY_PERSON_SUBJECT,
          subjectIds: page.rows.map((row) => row.id),
          detail: { filter, limit, offset, total: page.total },
        })
        return { persons: page.rows.map((row) => toKeyPersonDto(row, request.lang)), total: page.total, limit, offset }
      })
    },
  )

  app.get(
    '/overdue',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Persons overdue (and optionally due soon) for a visit, per base grid; audited',
        querystring: Type.Object(
          {
            gridId: Type.Optional(Type.Integer({ minimum: 1 })),
            includeDueSoon: Type.Optional(Type.Boolean({ default: false })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            grids: Type.Array(
              Type.Object({
                grid: Type.Union([
                  Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), nameEn: Type.Union([Type.String(), Type.Null()]) }),
                  Type.Null(),
                ]),
                overdue: Type.Integer(),
                dueSoon: Type.Integer(),
                persons: Type.Array(KeyPersonSchema),
              }),
            ),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const now = new Date()
      const { gridId, includeDueSoon = false } = request.query
      return app.db.transaction().execute(async (trx) => {
        const scope = personScope(user)!
        const pages = [await findKeyPersons(trx, now, scope, { gridId, visitState: 'overdue' }, { limit: 10_000, offset: 0 })]
        if (includeDueSoon) pages.push(await findKeyPersons(trx, now, scope, { gridId, visitState: 'due_soon' }, { limit: 10_000, offset: 0 }))
        const rows = pages.flatMap((page) => page.rows)
        const byGrid = new Map<number | null, typeof rows>()
        for (const row of rows) byGrid.set(row.baseGridId, [...(byGrid.get(row.baseGridId) ?? []), row])
        const labels = new Map(
          (await findAreaLabels(trx, [...byGrid.keys()].filter((id): id is number => id !== null))).map((area) => [area.id, area]),
        )
        await insertAuditEntry(trx, auditActor(request), {
          action: 'list',
          subjectKind: KEY_PERSON_SUBJECT,
          subjectIds: rows.map((row) => row.id),
          detail: { list: 'overdue', gridId, includeDueSoon },
        })
        const grids = [...byGrid.entries()]
          .map(([id, persons]) => {
            const area = id === null ? undefined : labels.get(id)
            return {
              grid: area ? { id: area.id, code: area.code, name: area.name, nameEn: area.nameEn } : null,
              overdue: persons.filter((p) => p.visitState === 'overdue').length,
              dueSoon: persons.filter((p) => p.visitState === 'due_soon').length,
              persons: persons
                .sort((a, b) => (a.nextVisitDue?.getTime() ?? 0) - (b.nextVisitDue?.getTime() ?? 0))
                .map((row) => toKeyPersonDto(row, request.lang)),
            }
          })
          .sort((a, b) => (a.grid?.code ?? '').localeCompare(b.grid?.code ?? ''))
        return { grids }
      })
    },
  )

  app.post(
    '',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Register a key person at their registered household (grid workers: in their grids only)',
        body: CreateKeyPersonSchema,
        response: { 201: KeyPersonSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const row = await app.db
        .transaction()
        .execute((trx) => registerKeyPerson(trx, user, auditActor(request), request.body, new Date()))
      reply.header('location', `${baseUrl(request)}/api/key-persons/${row.id}`).header('etag', `"${row.version}"`)
      const person = toKeyPersonDto(row, request.lang)
      publishKeyPersonEvent(app, person, 'register')
      return reply.code(201).send(person)
    },
  )

  app.get(
    '/:id',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'One key person, masked; the ETag carries its version; audited',
        params: IdParams,
        response: { 200: KeyPersonSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const actor = auditActor(request)
      const row = await runAudited(app.db, async (trx) => {
        const found = await personFor(trx, user, actor, request.params.id, new Date(), 'read')
        if (found instanceof HttpError) return found
        await insertAuditEntry(trx, actor, { action: 'read', subjectKind: KEY_PERSON_SUBJECT, subjectIds: [found.id] })
        return found
      })
      reply.header('etag', `"${row.version}"`)
      return toKeyPersonDto(row, request.lang)
    },
  )

  app.patch(
    '/:id',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Change a key person; send If-Match with the ETag (stale: 412 with the current state)',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: PatchKeyPersonSchema,
        response: { 200: KeyPersonSchema, ...errorResponses(400, 401, 403, 404, 409, 412) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const actor = auditActor(request)
      const ifMatch = parseIfMatch(request.headers['if-match'])
      const { version: bodyVersion, ...patch } = request.body
      const row = await applyKeyPersonChange(app.db, user, actor, request.params.id, patch, { ifMatch, bodyVersion }, request.lang)
      reply.header('etag', `"${row.version}"`)
      const person = toKeyPersonDto(row, request.lang)
      publishKeyPersonEvent(app, person, 'update')
      return person
    },
  )

  app.post(
    '/:id/reveal',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Reveal masked fields with a reason (admin, dispatcher, the person’s grid worker); audited',
        params: IdParams,
        body: Type.Object(
          {
            fields: Type.Array(RevealFieldSchema, { minItems: 1, maxItems: 5 }),
            reason: RevealReasonSchema,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            id: Type.Integer(),
            fields: RevealedFieldsSchema,
          }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const actor = auditActor(request)
      const { fields, reason } = request.body
      return runAudited(app.db, async (trx) => {
        const found = await personFor(trx, user, actor, request.params.id, new Date(), 'reveal')
        if (found instanceof HttpError) return found
        return { id: found.id, fields: await revealFields(trx, actor, found, fields, reason) }
      })
    },
  )

  app.get(
    '/:id/visits',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Visits of a key person, newest first; audited',
        params: IdParams,
        response: { 200: Type.Object({ visits: Type.Array(VisitSchema) }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const actor = auditActor(request)
      return runAudited(app.db, async (trx) => {
        const found = await personFor(trx, user, actor, request.params.id, new Date(), 'visits')
        if (found instanceof HttpError) return found
        await insertAuditEntry(trx, actor, { action: 'read', subjectKind: KEY_PERSON_SUBJECT, subjectIds: [found.id], detail: { read: 'visits' } })
        return { visits: (await findVisits(trx, found.id)).map(toVisitDto) }
      })
    },
  )

  app.post(
    '/:id/visits',
    {
      config: { access: IDENTITY_ACCESS },
      schema: {
        tags: ['Key persons'],
        summary: 'Record a visit (走访); the person’s next due date follows from their colour',
        params: IdParams,
        body: CreateVisitSchema,
        response: { 201: Type.Object({ visit: VisitSchema, person: KeyPersonSchema }), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = currentUser(request)
      const actor = auditActor(request)
      const now = new Date()
      const result = await runAudited(app.db, async (trx) => {
        const found = await personFor(trx, user, actor, request.params.id, now, 'visit')
        if (found instanceof HttpError) return found
        const visitId = await recordVisit(trx, actor, found, request.body, user.id, now)
        const [visit] = await findVisits(trx, found.id, [visitId])
        const person = (await findKeyPerson(trx, found.id, now))!
        return { visit: toVisitDto(visit), person: toKeyPersonDto(person, request.lang) }
      })
      reply.header('etag', `"${result.person.version}"`)
      publishKeyPersonEvent(app, result.person, 'visit')
      return reply.code(201).send(result)
    },
  )
}

export default keyPersonsRoutes
