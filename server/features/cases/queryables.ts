import { sql } from 'kysely'
import type { CaseKind } from '../../core/db/tables/case.ts'
import { queryable, type Queryable } from '../../core/ogc/cql2/queryables.ts'
import { deadlineStateSql } from './deadline-state.ts'
import { DISPUTE_STATUSES } from './dispute-workflow.ts'
import { HAZARD_STATUSES } from './hazard-workflow.ts'

const SOURCES = ['grid_worker', 'walk_in', 'hotline', 'department', 'lead'] as const
const OUTCOMES = ['agreement', 'withdrawn', 'litigation', 'failed'] as const
const MODES = ['pre_litigation', 'jinhua', 'apeng', 'expert', 'other'] as const

/** Properties both kinds share, over the case row aliased `c` (as in `cases.repository.ts`). */
const COMMON: Queryable[] = [
  queryable('geometry', 'geometry', { zh: '位置', en: 'Location' }, sql`c.geom`, { geometryType: 'Point' }),
  queryable('category', 'string', { zh: '类别', en: 'Category' }, sql`c.category`),
  queryable('description', 'string', { zh: '描述', en: 'Description' }, sql`c.description`),
  queryable('source', 'string', { zh: '来源', en: 'Source' }, sql`c.source`, { enum: SOURCES }),
  queryable('reporterName', 'string', { zh: '报告人', en: 'Reporter' }, sql`c.reporter_name`),
  queryable('crossVillage', 'boolean', { zh: '跨村', en: 'Cross-village' }, sql`c.cross_village`),
  queryable('reportedAt', 'date-time', { zh: '报告时间', en: 'Reported at' }, sql`c.reported_at`),
  queryable('registeredAt', 'date-time', { zh: '登记时间', en: 'Registered at' }, sql`c.registered_at`),
  queryable('deadlineAt', 'date-time', { zh: '办理时限', en: 'Deadline' }, sql`c.deadline_at`),
  queryable('deadlineState', 'string', { zh: '督办状态', en: 'Deadline state' }, deadlineStateSql(), { enum: ['ok', 'near', 'overdue', 'done'] }),
  queryable('stationKey', 'string', { zh: '承办站所', en: 'Station' }, sql`c.station_key`),
  queryable('closedAt', 'date-time', { zh: '办结时间', en: 'Closed at' }, sql`c.closed_at`),
  queryable('version', 'integer', { zh: '版本', en: 'Version' }, sql`c.version`),
  queryable('updatedAt', 'date-time', { zh: '更新时间', en: 'Updated at' }, sql`c.updated_at`),
]

/** Properties only hazards carry. */
const HAZARD: Queryable[] = [
  queryable('status', 'string', { zh: '状态', en: 'Status' }, sql`c.status`, { enum: HAZARD_STATUSES }),
  queryable('severity', 'string', { zh: '严重程度', en: 'Severity' }, sql`c.severity`, { enum: ['low', 'medium', 'high', 'critical'] }),
  queryable('verifiedAt', 'date-time', { zh: '核实时间', en: 'Verified at' }, sql`c.verified_at`),
  queryable('rectifiedAt', 'date-time', { zh: '整改完成时间', en: 'Rectified at' }, sql`c.rectified_at`),
]

/** Properties only disputes carry. */
const DISPUTE: Queryable[] = [
  queryable('status', 'string', { zh: '状态', en: 'Status' }, sql`c.status`, { enum: DISPUTE_STATUSES }),
  queryable('tier', 'string', { zh: '等级', en: 'Tier' }, sql`c.tier`, { enum: ['general', 'complex', 'major'] }),
  queryable('mediatorName', 'string', { zh: '调解员', en: 'Mediator' }, sql`c.mediator_name`),
  queryable('mediationMode', 'string', { zh: '调解方式', en: 'Mediation mode' }, sql`c.mediation_mode`, { enum: MODES }),
  queryable('outcome', 'string', { zh: '调解结果', en: 'Outcome' }, sql`c.outcome`, { enum: OUTCOMES }),
  queryable('satisfaction', 'integer', { zh: '满意度', en: 'Satisfaction' }, sql`c.satisfaction`),
  queryable('timely', 'boolean', { zh: '是否及时', en: 'Timely' }, sql`c.timely`),
  queryable('dispatchedAt', 'date-time', { zh: '分派时间', en: 'Dispatched at' }, sql`c.dispatched_at`),
  queryable('escalatedAt', 'date-time', { zh: '上报时间', en: 'Escalated at' }, sql`c.escalated_at`),
  queryable('resolvedAt', 'date-time', { zh: '化解时间', en: 'Resolved at' }, sql`c.resolved_at`),
]

/**
 * The properties of a case feature a CQL2 filter may name. Every role that
 * reads cases gets the same properties (rows are narrowed by the read scope);
 * the phones are left out on purpose: the answer shows them masked
 * (`138****1234`), so a filter on the stored number would recover the hidden
 * digits by counting.
 */
export function caseQueryables(kind: CaseKind): Queryable[] {
  return [...COMMON, ...(kind === 'hazard' ? HAZARD : DISPUTE)]
}
