import { HttpError } from '../../core/http/http-error.ts'
import type { CollectionProvider } from '../../core/ogc/provider.ts'
import { AREA_COLLECTIONS } from '../areas/index.ts'
import { CASE_COLLECTIONS } from '../cases/index.ts'
import { KEY_PERSONS_COLLECTION } from '../key-persons/index.ts'

export type { CollectionProvider, FeaturePage, ItemsQuery, RequestClient } from '../../core/ogc/provider.ts'

/** Every collection, in the order the landing page lists them. */
export const COLLECTIONS: CollectionProvider[] = [
  ...AREA_COLLECTIONS,
  ...CASE_COLLECTIONS,
  KEY_PERSONS_COLLECTION,
]

/** The collection with `id`, or undefined. */
export function findCollection(id: string): CollectionProvider | undefined {
  return COLLECTIONS.find((collection) => collection.id === id)
}

/** 404 for an unknown collection id, naming the ones that exist. */
export function collectionNotFound(id: string): HttpError {
  return new HttpError(404, 'collection_not_found', { id, available: COLLECTIONS.map((c) => c.id).join(', ') })
}
