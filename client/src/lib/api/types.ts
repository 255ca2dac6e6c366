import type { Feature, MultiPolygon, Polygon } from 'geojson';

/** A user role, as stored by the server. */
export type Role = 'leader' | 'dispatcher' | 'station' | 'grid_worker' | 'admin' | 'security_admin' | 'audit_admin';

/** The signed-in user (`GET /api/auth/me`, `POST /api/auth/login`). */
export interface User {
  id: number;
  username: string;
  displayName?: string | null;
  role: Role;
  stationKey?: string | null;
  /** Grids the user is responsible for (grid workers). */
  gridIds?: number[];
}

/** Facts about the loaded data set (`GET /api/meta`). */
export interface AppMeta {
  sampleData: boolean;
  /** The township the data set describes; optional, the town collection is the fallback. */
  township?: { code?: string; name: string; nameEn?: string | null } | null;
  /** The township's extent, `[west, south, east, north]`. */
  bbox?: [number, number, number, number] | null;
}

/** The body of every non-2xx answer. */
export interface ApiErrorBody {
  code: string;
  message: string;
}

/** A level of the area hierarchy. */
export type AreaLevel = 'town' | 'village' | 'base_grid' | 'fine_grid';

/** A fine grid's kind; anything but `standard` is a dedicated grid (专属网格). */
export type AreaKind = 'standard' | 'school' | 'market' | 'scenic' | 'enterprise';

/** Properties of an area feature in the OGC API collections. */
export interface AreaProperties {
  code: string;
  name: string;
  nameEn: string | null;
  level: AreaLevel;
  kind: AreaKind;
  parentId: number | null;
  parentCode: string | null;
  households: number;
  population: number;
  version: number;
  synthetic: boolean;
}

/** An area feature with its numeric id. */
export type AreaFeature = Feature<Polygon | MultiPolygon, AreaProperties> & { id: number };

/** An OGC API link. */
export interface ApiLink {
  href: string;
  rel: string;
  type?: string;
  title?: string;
}

/** `GET /api/collections/{id}/items` answer. */
export interface AreaCollection {
  type: 'FeatureCollection';
  features: AreaFeature[];
  numberMatched?: number;
  numberReturned?: number;
  links?: ApiLink[];
}

/** A short reference to another area. */
export interface AreaRef {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  level: AreaLevel;
}

/** A person on grid duty. */
export interface StaffContact {
  name: string;
  phone: string | null;
}

/** `GET /api/areas/{id}` answer. */
export interface AreaDetail {
  id: number;
  code: string;
  name: string;
  nameEn: string | null;
  level: AreaLevel;
  kind: AreaKind;
  parent: AreaRef | null;
  households: number;
  population: number;
  leader: StaffContact | null;
  workers: StaffContact[];
  version: number;
  validFrom: string;
  changedBy: string;
  changeReason: string;
  synthetic: boolean;
}

/** The area collections the map shows, by OGC API collection id. */
export type AreaLayerKey = 'town' | 'villages' | 'base-grids' | 'fine-grids';

/** Accepts `base-grid`, `baseGrid` or `base_grid` spellings of a level. */
export function normaliseLevel(raw: string): AreaLevel {
  const level = raw.replace(/-/g, '_').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (level === 'village' || level === 'base_grid' || level === 'fine_grid') return level;
  return 'town';
}

/** The collection (and map source) an area of a level is drawn from. */
export const LAYER_OF_LEVEL: Record<AreaLevel, AreaLayerKey> = {
  town: 'town',
  village: 'villages',
  base_grid: 'base-grids',
  fine_grid: 'fine-grids',
};
