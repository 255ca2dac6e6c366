import { sql } from 'kysely'
import { COLOURS, PERSON_STATUSES } from '../../core/db/tables/key-person.ts'
import { queryable, type Queryable } from '../../core/ogc/cql2/queryables.ts'

/**
 * The properties of a key-person feature a CQL2 filter may name, over the
 * `kp` rows of `key-persons.repository.ts`. Only what the answer shows unmasked
 * is here: the identity number, phone, address and birth year are shown masked
 * or as a band, so they are not queryable (a filter such as
 * `idNumber LIKE '5329%'` would recover the hidden characters by counting),
 * and `geometry` is the point the household is shown at (inside its fine
 * grid), never the exact household, for the same reason as the bbox.
 */
export const KEY_PERSON_QUERYABLES: Queryable[] = [
  queryable('geometry', 'geometry', { zh: '显示位置（精细网格内）', en: 'Shown position (inside the fine grid)' },
    sql`ST_SetSRID(ST_MakePoint(kp."shownLon", kp."shownLat"), 4326)`, { geometryType: 'Point' }),
  queryable('name', 'string', { zh: '姓名', en: 'Name' }, sql`kp.name`),
  queryable('gender', 'string', { zh: '性别', en: 'Gender' }, sql`kp.gender`, { enum: ['male', 'female'] }),
  queryable('category', 'string', { zh: '类别', en: 'Category' }, sql`kp.category`),
  queryable('colour', 'string', { zh: '管控颜色', en: 'Colour' }, sql`kp.colour`, { enum: COLOURS }),
  queryable('status', 'string', { zh: '管理状态', en: 'Status' }, sql`kp.status`, { enum: PERSON_STATUSES }),
  queryable('householdPrecision', 'string', { zh: '显示位置精度', en: 'Shown position precision' }, sql`kp."shownPrecision"`, { enum: ['fine_grid', 'base_grid', 'village'] }),
  queryable('releasedAt', 'date-time', { zh: '解除时间', en: 'Released at' }, sql`kp."releasedAt"`),
  queryable('note', 'string', { zh: '备注', en: 'Note' }, sql`kp.note`),
  queryable('lastVisitAt', 'date-time', { zh: '最近走访', en: 'Last visit' }, sql`kp."lastVisitAt"`),
  queryable('nextVisitDue', 'date-time', { zh: '下次走访期限', en: 'Next visit due' }, sql`kp."nextVisitDue"`),
  queryable('visitState', 'string', { zh: '走访状态', en: 'Visit state' }, sql`kp."visitState"`, { enum: ['ok', 'due_soon', 'overdue'] }),
  queryable('version', 'integer', { zh: '版本', en: 'Version' }, sql`kp.version`),
  queryable('createdAt', 'date-time', { zh: '登记时间', en: 'Created at' }, sql`kp."createdAt"`),
  queryable('updatedAt', 'date-time', { zh: '更新时间', en: 'Updated at' }, sql`kp."updatedAt"`),
]
