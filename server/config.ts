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
  /** Address users open (`PUBLIC_URL`, e.g. `https://grid.example.gov.cn`); links and the origin check use it. */
  publicUrl?: string
  /** Whether `X-Forwarded-*` from a reverse proxy are trusted (`TRUST_PROXY=1`). */
  trustProxy: boolean
  /** `REQUEST_TIMEOUT_S`, `HEADERS_TIMEOUT_S`: seconds for a whole request and for its headers to arrive. */
  limits: { requestTimeoutMs?: number; headersTimeoutMs?: number }
}

/** Reads a positive number of seconds as milliseconds, or undefined when unset. */
function seconds(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds, got "${text}"`)
  return value * 1000
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
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    limits: { requestTimeoutMs: seconds(env, 'REQUEST_TIMEOUT_S'), headersTimeoutMs: seconds(env, 'HEADERS_TIMEOUT_S') },
  }
}
