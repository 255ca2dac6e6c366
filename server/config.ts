import { join, resolve } from 'node:path'

/** Runtime settings, read from the environment. */
export interface AppConfig {
  port: number
  host: string
  /** PostgreSQL connection string; unset means the embedded database. */
  databaseUrl?: string
  /** Folder for the embedded database. */
  dataDir: string
  /** Folder of uploaded case photos (`PHOTO_DIR`, default `<DATA_DIR>/photos`, on either database). */
  photoDir: string
  /** Password for the first `admin` when it is created. */
  adminPassword?: string
  /** Whether to load the sample township into an empty database. */
  loadSample: boolean
  /** Folder of the built client. */
  clientDir: string
  /** Folder of the sample township's GeoJSON. */
  geodataDir: string
  logLevel: string
  /** Whether session cookies carry the `Secure` flag. */
  secureCookies: boolean
}

const ROOT = new URL('../', import.meta.url).pathname

/** Reads {@link AppConfig} from `env`, with the documented defaults. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`)
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    photoDir: resolve(env.PHOTO_DIR ?? join(env.DATA_DIR ?? 'data', 'photos')),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    loadSample: !['0', 'false', 'no', 'off'].includes((env.SAMPLE_DATA ?? 'on').toLowerCase()),
    clientDir: resolve(ROOT, 'dist/client'),
    geodataDir: resolve(ROOT, 'geodata/xizhou'),
    logLevel: env.LOG_LEVEL ?? 'warn',
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
  }
}
