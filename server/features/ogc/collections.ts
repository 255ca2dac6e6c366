import type { TProperties } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import type { AreaLevel } from '../../core/db/tables/area.ts'
import type { Bbox } from '../../core/postgis/expressions.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { findAreaExtent, findAreaFeature, findAreaFeatures } from '../areas/areas.repository.ts'
import { CASE_COLLECTIONS } from '../cases/collections.ts'
import { KEY_PERSONS_COLLECTION } from '../key-persons/collection.ts'

/** Query of an items request, already validated. */
export interface ItemsQuery {
  bbox?: Bbox
  limit: number
  offset: number
  /** Values of the collection's {@link CollectionProvider.extraQuery} parameters, as validated. */
  extra?: Record<string, unknown>
  /** Who asked from where, for collections that audit reads (key persons). */
  client?: RequestClient
}

/** The client address and language of an items request. */
export interface RequestClient {
  ip: string
  lang: Lang
}

/** A page of features: GeoJSON Feature texts joined by commas, and counts. */
export interface FeaturePage {
  featuresJson: string
  numberMatched: number
  numberReturned: number
}

/** A feature collection the OGC API serves; features come as GeoJSON texts. */
export interface CollectionProvider {
  id: string
  title: Record<Lang, string>
  description: Record<Lang, string>
  /** One page of features and the number matched. */
  items(db: Db, user: UserRecord, query: ItemsQuery): Promise<FeaturePage>
  /** One feature and its ETag version, or undefined. */
  item(db: Db, user: UserRecord, id: number, client?: RequestClient): Promise<{ featureText: string; version: number } | undefined>
  /** Spatial extent of the current data. */
  extent(db: Db): Promise<Bbox | undefined>
  /**
   * Query parameters this collection accepts besides bbox/limit/offset/f
   * (TypeBox properties, all optional). Collections without it keep refusing
   * any other parameter with 400.
   */
  extraQuery?: TProperties
  /** Whether features can be created with POST …/items (OGC API – Features – Part 4). */
  creatable?: boolean
}

function areaCollection(id: string, level: AreaLevel, title: Record<Lang, string>, description: Record<Lang, string>): CollectionProvider {
  return {
    id,
    title,
    description,
    items: (db, _user, query) => findAreaFeatures(db, { level, ...query }),
    item: (db, _user, featureId) => findAreaFeature(db, level, featureId),
    extent: (db) => findAreaExtent(db, level),
  }
}

/** Every collection, in the order the landing page lists them. */
export const COLLECTIONS: CollectionProvider[] = [
  areaCollection(
    'town',
    'town',
    { zh: '镇', en: 'Town' },
    { zh: '镇域边界（当前版本）', en: 'Town outline (current version)' },
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
  ...CASE_COLLECTIONS,
  KEY_PERSONS_COLLECTION,
]

/** The collection with `id`, or undefined. */
export function findCollection(id: string): CollectionProvider | undefined {
  return COLLECTIONS.find((collection) => collection.id === id)
}
