import type { AppMeta, User } from '../api/types';

/** A place as the server names it, in both languages. */
interface NamedPlace {
  name: string;
  nameEn: string | null;
}

/**
 * The place the header names for a user: the county (县) for county users —
 * who read every town, so the first town's name (喜洲镇) would mislead — and the
 * user's own town for town users (`/api/meta` answers their town only, under
 * row-level security). `fallbackTown` is the town outline on the map, used
 * while the meta has not loaded. Null when nothing is known yet; `countyLabel`
 * (全县) when a county user's deployment has not named its county.
 */
export function headerPlaceName(
  user: Pick<User, 'townId'> | null,
  meta: Pick<AppMeta, 'township' | 'county'> | null,
  lang: string,
  countyLabel: string,
  fallbackTown: NamedPlace | null = null,
): string | null {
  const inLanguage = (place: NamedPlace) => (lang === 'en' && place.nameEn ? place.nameEn : place.name);
  if (user && user.townId === null) return meta?.county ? inLanguage(meta.county) : meta ? countyLabel : null;
  const town = meta?.township ?? fallbackTown;
  return town ? inLanguage(town) : null;
}
