import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { AppMeta as AppMetaDto, AreaLevel, AreaKind } from '../../../../server/features/areas/areas.schemas.ts';

/*
 * The API contract: types of the server's TypeBox schemas (`Static<>`), imported as types only
 * (no server code reaches the bundle). Below them, the OGC area features, whose items route
 * declares no property schema, and the names of the area collections.
 */
export type { ApiError, Role, UserDto as User } from '../../../../server/core/http/common.schemas.ts';
export type { ImportJob, ImportReport, IoLevel } from '../../../../server/features/areas/io/io.schemas.ts';
export type { SourceCrs } from '../../../../server/features/areas/io/source-crs.ts';
export type { ExportFormat } from '../../../../server/features/areas/io/export-format.ts';
export type { AreaDetailDto as AreaDetail, AreaKind, AreaLevel, AreaRef, StaffContact } from '../../../../server/features/areas/areas.schemas.ts';

/**
 * `GET /api/meta`. The schema gives `bbox` exactly four items (minItems = maxItems = 4), which
 * `Static<>` types as `number[]`; here it is the `[west, south, east, north]` tuple it is.
 */
export type AppMeta = Omit<AppMetaDto, 'bbox'> & { bbox: [number, number, number, number] | null };

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
  /** Start of this version's validity (ISO, inclusive). */
  validFrom?: string;
  /** End of this version's validity (ISO, exclusive); `null` while in force. */
  validTo?: string | null;
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

/** The area collections the map shows, by OGC API collection id. */
export type AreaLayerKey = 'town' | 'villages' | 'base-grids' | 'fine-grids';
