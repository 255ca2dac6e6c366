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
