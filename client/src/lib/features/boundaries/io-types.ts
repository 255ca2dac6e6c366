/** Levels that can be imported and exported (collection names). */
export type IoLevel = 'villages' | 'base-grids' | 'fine-grids';

/** Coordinate systems an import file may use. */
export type SourceCrs = 'wgs84' | 'cgcs2000' | 'gcj02';

/** Export file formats: GeoJSON, zipped Shapefile, KML. */
export type ExportFormat = 'geojson' | 'zip' | 'kml';

/** A problem the server found with a feature (kind, message, where). */
export interface IoProblem {
  kind: string;
  message: string;
  areaId?: number;
  geometry?: unknown;
}

/** One feature in an import report. */
export interface ImportEntry {
  index: number;
  code: string | null;
  areaId?: number;
  newCode?: string;
  version?: number;
}

/** A refused feature. */
export interface ImportRefusal extends ImportEntry {
  reason: string;
  problems: IoProblem[];
}

/** What an import did. */
export interface ImportReport {
  total: number;
  created: ImportEntry[];
  changed: ImportEntry[];
  unchanged: ImportEntry[];
  refused: ImportRefusal[];
  warnings: IoProblem[];
  changeId: number | null;
}

/** An import job as the server reports it while it runs and after. */
export interface ImportJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  phase: string;
  processed: number;
  total: number;
  format: string;
  level: string;
  sourceCrs: string;
  report: ImportReport | null;
  error: { code: string; message: string } | null;
}
