import type { RawBuilder, SqlBool } from 'kysely'
import type { TProperties } from 'typebox'
import type { Db } from '../db/database.ts'
import type { Bbox } from '../postgis/envelope.ts'
import type { Lang } from '../i18n/messages.ts'
import type { UserRecord } from '../auth/users.repository.ts'
import type { Queryable } from './cql2/queryables.ts'
import type { CrsDefinition } from './crs.ts'

/** Query of an items request, already validated. */
export interface ItemsQuery {
  bbox?: Bbox
  limit: number
  offset: number
  /**
   * The parsed `datetime` parameter: a closed interval, either end open
   * (an instant is `from` = `to`). Absent: the collection's default (for
   * areas, the current versions).
   */
  datetime?: { from?: Date; to?: Date }
  /** Values of the collection's {@link CollectionProvider.extraQuery} parameters, as validated. */
  extra?: Record<string, unknown>
  /** Who asked from where, for collections that audit reads (key persons). */
  client?: RequestClient
  /** The compiled `filter` (CQL2) over the collection's queryables, to AND into the query. */
  filter?: RawBuilder<SqlBool>
  /** The `filter` as sent, for collections that audit reads. */
  filterText?: string
  /**
   * The CRS to write the geometries in (absent: CRS84). Given only to a
   * collection that {@link CollectionProvider.rendersCrs}.
   */
  crs?: CrsDefinition
}

/** The client address and language of an items request. */
export interface RequestClient {
  ip: string
  lang: Lang
}

/** A page of features: the texts of its GeoJSON Features, and counts. */
export interface FeaturePage {
  /**
   * The features' text in order: each part one Feature, or several joined by
   * commas (no brackets, no empty parts). A page of a hundred cases stays a
   * hundred parts, never one string: V8 puts a string over 128 KiB in its
   * large-object space, and each one made costs ~0.6 ms plus ~3 µs per KiB
   * (measured on Node 20), more than building the page.
   */
  featureParts: string[]
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
   * Temporal extent of the data over its whole history: first and last
   * instant, `null` for an open end (data still in force). Collections
   * without it publish no temporal extent.
   */
  temporalExtent?(db: Db): Promise<[Date | null, Date | null] | undefined>
  /**
   * Query parameters this collection accepts besides bbox/limit/offset/f
   * (TypeBox properties, all optional). Collections without it keep refusing
   * any other parameter with 400.
   */
  extraQuery?: TProperties
  /**
   * The properties `user` may filter on (OGC API – Features – Part 3): only
   * those the user's answer contains; each maps to an SQL expression of the
   * provider's query, where {@link ItemsQuery.filter} is applied. Throws the
   * same error as `items` for a user who may not read the collection.
   */
  queryables(user: UserRecord): Queryable[]
  /** Whether features can be created with POST …/items (OGC API – Features – Part 4). */
  creatable?: boolean
  /** Reads of this collection write audit entries, so they are served by the primary, never a read replica. */
  auditsReads?: boolean
  /**
   * Whether `items` writes its geometries in {@link ItemsQuery.crs} itself,
   * in the statement that renders the page. Any other collection's page is
   * rendered in CRS84 and transformed after (`reprojectFeatures`): the page's
   * text parsed, sent back to the database and written again, which for the
   * 239 KiB fine-grid page took as long again as the page (issue 11, item 2).
   */
  rendersCrs?: boolean
}
