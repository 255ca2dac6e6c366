import type { Db } from '../../core/db/database.ts'
import type { CaseKind } from '../../core/db/tables/case.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import { canRead } from './access.ts'
import { DISPUTE_EXTRA_QUERY, HAZARD_EXTRA_QUERY, parseCaseFilters } from './filters.ts'
import { caseFeatureText, toCaseFeature } from './case-dto.ts'
import { findAreaExtent } from '../areas/index.ts'
import { findCase, findCaseExtent, findCasePage } from './cases.repository.ts'
import type { CollectionProvider } from '../../core/ogc/provider.ts'
import { caseQueryables } from './queryables.ts'

function caseCollection(id: string, kind: CaseKind, title: Record<Lang, string>, description: Record<Lang, string>): CollectionProvider {
  const queryables = caseQueryables(kind)
  return {
    id,
    title,
    description,
    extraQuery: kind === 'hazard' ? HAZARD_EXTRA_QUERY : DISPUTE_EXTRA_QUERY,
    creatable: true,
    rendersCrs: true,
    async items(db: Db, user, query) {
      const filters = await parseCaseFilters(db, kind, query.extra)
      const reported = { reportedFrom: query.datetime?.from, reportedTo: query.datetime?.to }
      const page = await findCasePage(db, user, { kind, bbox: query.bbox, filter: query.filter, limit: query.limit, offset: query.offset, crs: query.crs, ...filters, ...reported })
      return {
        featureParts: page.rows.map((row) => caseFeatureText(row, user)),
        numberMatched: page.matched,
        numberReturned: page.rows.length,
      }
    },
    async item(db, user, featureId) {
      const row = await findCase(db, kind, featureId)
      if (!row || !canRead(user, row)) return undefined
      return { featureText: JSON.stringify(toCaseFeature(row, user)), version: row.version }
    },
    queryables: () => queryables,
    async extent(db) {
      return (await findCaseExtent(db, kind)) ?? findAreaExtent(db, 'town')
    },
  }
}

/** Hazards and disputes as OGC API collections (points; the extent falls back to the town's while empty). */
export const CASE_COLLECTIONS: CollectionProvider[] = [
  caseCollection(
    'hazards',
    'hazard',
    { zh: '隐患', en: 'Hazards' },
    { zh: '安全稳定隐患（每月隐患排查），含状态、严重程度与督办状态', en: 'Safety and stability hazards with status, severity and deadline state' },
  ),
  caseCollection(
    'disputes',
    'dispute',
    { zh: '矛盾纠纷', en: 'Disputes' },
    { zh: '矛盾纠纷（六步工作法），含状态、等级、当事人与督办状态', en: 'Disputes (six-step method) with status, tier, parties and deadline state' },
  ),
]
