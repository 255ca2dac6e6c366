import { Type } from 'typebox'
import type { Colour, PersonStatus } from '../../core/db/tables/key-person.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { toKeyPersonFeatureText } from './person-dto.ts'
import { findAreaExtent } from '../areas/index.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import { findKeyPersons, type VisitState } from './key-persons.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { runAudited } from '../../core/audit/audit.service.ts'
import { identitiesForbidden, personScope } from './access.ts'
import { KEY_PERSON_SUBJECT, personFor } from './key-persons.service.ts'
import { ColourSchema, StatusSchema, VisitStateSchema } from './key-persons.schemas.ts'
import type { CollectionProvider, RequestClient } from '../../core/ogc/provider.ts'
import { KEY_PERSON_QUERYABLES } from './queryables.ts'

function actorOf(user: UserRecord, client: RequestClient | undefined): AuditActor {
  return { userId: user.id, username: user.username, role: user.role, ip: client?.ip ?? null }
}

/**
 * Key persons as an OGC API collection: household points with masked
 * properties, for the roles that may see identities (grid workers: their own
 * grids). Leaders and station staff get 403 pointing to the aggregate
 * endpoints rather than a differently shaped layer. Every page and feature
 * read is audited. Created and replaced through `items.routes.ts`.
 */
export const KEY_PERSONS_COLLECTION: CollectionProvider = {
  auditsReads: true,
  id: 'key-persons',
  title: { zh: '重点人员', en: 'Key persons' },
  description: {
    zh: '重点人员户籍位置（敏感个人信息：网格员仅见本网格；身份证号、电话、地址脱敏；每次读取记入审计日志。领导与站所请使用 /api/key-persons/summary 与 /api/key-persons/heat 的汇总数据）',
    en: 'Key persons at their registered households (sensitive: grid workers see their own grids only; identity numbers, phones and addresses masked; every read audited). Leaders and stations: use the aggregates at /api/key-persons/summary and /api/key-persons/heat',
  },
  extraQuery: {
    category: Type.Optional(Type.String({ maxLength: 40, description: 'Category key' })),
    colour: Type.Optional(ColourSchema),
    status: Type.Optional(StatusSchema),
    visitState: Type.Optional(VisitStateSchema),
    gridId: Type.Optional(Type.Integer({ minimum: 1, description: 'Base or fine grid id' })),
  },
  creatable: true,
  async items(db, user, query) {
    const scope = personScope(user)
    if (!scope) throw identitiesForbidden()
    const extra = query.extra ?? {}
    const filter = {
      bbox: query.bbox,
      category: extra.category as string | undefined,
      colour: extra.colour as Colour | undefined,
      status: extra.status as PersonStatus | undefined,
      visitState: extra.visitState as VisitState | undefined,
      gridId: extra.gridId as number | undefined,
      // `datetime`: the period under management (registration to release).
      managedWithin: query.datetime,
    }
    return db.transaction().execute(async (trx) => {
      const page = await findKeyPersons(trx, new Date(), scope, { ...filter, cql: query.filter }, { limit: query.limit, offset: query.offset })
      await insertAuditEntry(trx, actorOf(user, query.client), {
        action: 'list',
        subjectKind: KEY_PERSON_SUBJECT,
        subjectIds: page.rows.map((row) => row.id),
        detail: { via: 'ogc', filter, ...(query.filterText === undefined ? {} : { cql2: query.filterText }), limit: query.limit, offset: query.offset },
      })
      const lang = query.client?.lang ?? 'zh'
      return {
        featureParts: page.rows.map((row) => toKeyPersonFeatureText(row, lang)),
        numberMatched: page.total,
        numberReturned: page.rows.length,
      }
    })
  },
  async item(db, user, id, client) {
    const actor = actorOf(user, client)
    try {
      const row = await runAudited(db, async (trx) => {
        const found = await personFor(trx, user, actor, id, new Date(), 'read')
        if (found instanceof HttpError) return found
        await insertAuditEntry(trx, actor, { action: 'read', subjectKind: KEY_PERSON_SUBJECT, subjectIds: [id], detail: { via: 'ogc' } })
        return found
      })
      return { featureText: toKeyPersonFeatureText(row, client?.lang ?? 'zh'), version: row.version }
    } catch (error) {
      if (error instanceof HttpError && error.status === 404) return undefined
      throw error
    }
  },
  extent: (db) => findAreaExtent(db, 'town'),
  queryables(user) {
    // The same refusal as the items: counts-only roles learn nothing about the layer's fields here either.
    if (!personScope(user)) throw identitiesForbidden()
    return KEY_PERSON_QUERYABLES
  },
}
