import type { AreaLevel } from '../../core/db/tables/area.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { CollectionProvider } from '../../core/ogc/provider.ts'
import { findAreaExtent, findAreaFeature, findAreaFeatures, findAreaTemporalExtent } from './areas.repository.ts'
import { AREA_QUERYABLES } from './queryables.ts'

function areaCollection(id: string, level: AreaLevel, title: Record<Lang, string>, description: Record<Lang, string>): CollectionProvider {
  return {
    id,
    title,
    description,
    rendersCrs: true,
    items: (db, _user, query) => findAreaFeatures(db, { level, ...query }),
    item: (db, _user, featureId) => findAreaFeature(db, level, featureId),
    extent: (db) => findAreaExtent(db, level),
    queryables: () => AREA_QUERYABLES,
    temporalExtent: (db) => findAreaTemporalExtent(db, level),
  }
}

/**
 * The four area collections of the OGC API, town first. Areas are
 * effective-dated: without `datetime` an items page holds the current
 * versions; with it, the versions in force then. A feature's id is the area's
 * stable id (the one edits, cases and key persons refer to), not a version:
 * the version and its validity [validFrom, validTo) are properties.
 */
export const AREA_COLLECTIONS: CollectionProvider[] = [
  areaCollection(
    'town',
    'town',
    { zh: '镇', en: 'Town' },
    { zh: '镇域边界（默认当前版本；datetime 参数可查历史版本）', en: 'Town outline (current version; earlier versions with datetime)' },
  ),
  areaCollection(
    'villages',
    'village',
    { zh: '村（社区）', en: 'Villages' },
    { zh: '村（社区）边界，含 12 位区划代码', en: 'Village and community boundaries with 12-digit division codes' },
  ),
  areaCollection(
    'base-grids',
    'base_grid',
    { zh: '基础网格', en: 'Base grids' },
    { zh: '基础网格边界，含 15 位网格编码', en: 'Base grid boundaries with 15-digit grid codes' },
  ),
  areaCollection(
    'fine-grids',
    'fine_grid',
    { zh: '精细网格', en: 'Fine grids' },
    { zh: '精细网格（含专属网格）边界', en: 'Fine grid boundaries, dedicated grids included' },
  ),
]
