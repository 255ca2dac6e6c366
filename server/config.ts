import { join, resolve } from 'node:path'
import { DEFAULT_LOGIN_POLICY, type LoginPolicy } from './features/users/login-policy.ts'
import { parseSecretKey } from './features/users/secret-box.ts'

/** Runtime settings, read from the environment. */
export interface AppConfig {
  port: number
  host: string
  /** PostgreSQL connection string; unset means the embedded database. */
  databaseUrl?: string
  /** Streaming replica for read-heavy routes (`DATABASE_REPLICA_URL`; needs DATABASE_URL). */
  databaseReplicaUrl?: string
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
  /** Whether the sample is the synthetic county of 8 towns (`SAMPLE_COUNTY=on`) instead of Xizhou alone. */
  sampleCounty: boolean
  /** Folder of the sample county (`geodata/county`, with `county.json`). */
  countyDir: string
  logLevel: string
  /** Whether session cookies carry the `Secure` flag. */
  secureCookies: boolean
  /** Minutes a browser session may stay unused (`SESSION_IDLE_MINUTES`, default 30). */
  sessionIdleMinutes: number
  /** Hours a browser session lasts at most (`SESSION_MAX_HOURS`, default 12). */
  sessionMaxHours: number
  /**
   * Sign-in protection: LOGIN_MAX_FAILURES (per username, default 5),
   * LOGIN_MAX_FAILURES_PER_ADDRESS (20), LOGIN_WINDOW_MINUTES (15), LOGIN_LOCK_MINUTES (15),
   * ADMIN_SECOND_FACTOR (`on`, or `off` for a local trial), TOTP_SECRET_KEY (32 bytes, hex or base64).
   */
  login: LoginPolicy
  /** Address users open (`PUBLIC_URL`, e.g. `https://grid.example.gov.cn`); links and the origin check use it. */
  publicUrl?: string
  /** Whether `X-Forwarded-*` from a reverse proxy are trusted (`TRUST_PROXY=1`). */
  trustProxy: boolean
  /** `REQUEST_TIMEOUT_S`, `HEADERS_TIMEOUT_S`: seconds for a whole request and for its headers to arrive. */
  limits: { requestTimeoutMs?: number; headersTimeoutMs?: number }
}

/** The sign-in protection settings from `env`. */
function readLoginPolicy(env: NodeJS.ProcessEnv): LoginPolicy {
  const secondFactor = (env.ADMIN_SECOND_FACTOR ?? 'on').toLowerCase()
  if (!['on', 'off', 'required', '1', '0', 'true', 'false'].includes(secondFactor)) {
    throw new Error(`ADMIN_SECOND_FACTOR must be "on" or "off", got "${env.ADMIN_SECOND_FACTOR}"`)
  }
  return {
    ...DEFAULT_LOGIN_POLICY,
    maxFailuresPerUsername: positiveNumber(env, 'LOGIN_MAX_FAILURES', DEFAULT_LOGIN_POLICY.maxFailuresPerUsername),
    maxFailuresPerAddress: positiveNumber(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', DEFAULT_LOGIN_POLICY.maxFailuresPerAddress),
    failureWindowMinutes: positiveNumber(env, 'LOGIN_WINDOW_MINUTES', DEFAULT_LOGIN_POLICY.failureWindowMinutes),
    lockMinutes: positiveNumber(env, 'LOGIN_LOCK_MINUTES', DEFAULT_LOGIN_POLICY.lockMinutes),
    adminSecondFactor: ['off', '0', 'false'].includes(secondFactor) ? 'off' : 'required',
    totpSecretKey: parseSecretKey(env.TOTP_SECRET_KEY),
  }
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
    databaseReplicaUrl: env.DATABASE_REPLICA_URL || undefined,
    dataDir: resolve(env.DATA_DIR ?? 'data'),
    photoDir: resolve(env.PHOTO_DIR ?? join(env.DATA_DIR ?? 'data', 'photos')),
    adminPassword: env.ADMIN_PASSWORD || undefined,
    loadSample: !['0', 'false', 'no', 'off'].includes((env.SAMPLE_DATA ?? 'on').toLowerCase()),
    clientDir: resolve(ROOT, 'dist/client'),
    geodataDir: resolve(ROOT, 'geodata/xizhou'),
    sampleCounty: onOff(env, 'SAMPLE_COUNTY', false),
    countyDir: resolve(ROOT, 'geodata/county'),
    logLevel: env.LOG_LEVEL ?? 'warn',
    secureCookies: env.SECURE_COOKIES === '1' || env.SECURE_COOKIES === 'true',
    sessionIdleMinutes: positiveNumber(env, 'SESSION_IDLE_MINUTES', 30, 24 * 60),
    sessionMaxHours: positiveNumber(env, 'SESSION_MAX_HOURS', 12, 24 * 30),
    login: readLoginPolicy(env),
    publicUrl: env.PUBLIC_URL || undefined,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    limits: { requestTimeoutMs: seconds(env, 'REQUEST_TIMEOUT_S'), headersTimeoutMs: seconds(env, 'HEADERS_TIMEOUT_S') },
  }
}

/** An on/off setting (`on`/`off`, `1`/`0`, `true`/`false`, `yes`/`no`); refuses anything else at start-up. */
function onOff(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = (env[name] ?? '').trim().toLowerCase()
  if (text === '') return fallback
  if (['on', '1', 'true', 'yes'].includes(text)) return true
  if (['off', '0', 'false', 'no'].includes(text)) return false
  throw new Error(`${name} must be "on" or "off", got "${env[name]}"`)
}

/** A positive number from `env[name]`, or `fallback` when unset; refuses nonsense at start-up. */
function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value <= 0 || value > max) {
    throw new Error(`${name} must be a number above 0 and at most ${max}, got "${text}"`)
  }
  return value
}
