import { randomBytes } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import type { Db } from '../../core/db/database.ts'
import { ADMIN_ROLES, type Role } from '../../core/db/tables/auth.ts'
import {
  claimTotpStep,
  countUnusedRecoveryCodes,
  deleteSecondFactor,
  findSecondFactor,
  promotePendingSecret,
  replaceRecoveryCodes,
  savePendingSecret,
  useRecoveryCode,
} from './second-factor.repository.ts'
import type { LoginPolicy } from './login-policy.ts'
import { openSecret, sealSecret } from './secret-box.ts'
import { hashSecret } from '../../core/auth/token.ts'

/** Issuer shown in authenticator apps. */
export const TOTP_ISSUER = 'GridAtlas'
/** RFC 6238 defaults that every authenticator app supports. */
const TOTP_PERIOD_SECONDS = 30
const TOTP_DIGITS = 6
/** Codes one step early or late are accepted, for phone clocks that drift. */
const TOTP_WINDOW_STEPS = 1
/** How many recovery codes a user gets. */
export const RECOVERY_CODE_COUNT = 10

/** What an enrolling user sees once: the QR code, the URI inside it and the secret to type in by hand. */
export interface Enrolment {
  otpauthUri: string
  secret: string
  qrSvgDataUrl: string
}

/** A user's second factor, as shown to them (never the secret). */
export interface SecondFactorStatus {
  enabled: boolean
  enabledAt: string | null
  pending: boolean
  recoveryCodesLeft: number
  /** Whether their role must have one (administrators, unless the policy relaxes it). */
  required: boolean
}

/** Whether `role` must sign in with a second factor under `policy`. */
export function secondFactorRequired(role: Role, policy: LoginPolicy): boolean {
  return policy.adminSecondFactor === 'required' && (ADMIN_ROLES as readonly Role[]).includes(role)
}

function totpFor(secretBase32: string, username: string): TOTP {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label: username,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  })
}

/** The time step a valid `code` belongs to, or undefined when it is not valid now. */
function matchingStep(secretBase32: string, username: string, code: string): number | undefined {
  if (!/^\d{6}$/.test(code)) return undefined
  const now = Date.now()
  const delta = totpFor(secretBase32, username).validate({ token: code, timestamp: now, window: TOTP_WINDOW_STEPS })
  if (delta === null) return undefined
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta
}

/** Starts (or restarts) enrolment: a new pending secret; a confirmed one stays in force until the new one is confirmed. */
export async function beginEnrolment(db: Db, user: { id: number; username: string }, policy: LoginPolicy): Promise<Enrolment> {
  const secret = new Secret({ size: 20 }).base32
  await savePendingSecret(db, user.id, sealSecret(secret, policy.totpSecretKey))
  const otpauthUri = totpFor(secret, user.username).toString()
  // Loaded on first use: not needed to start the server (issue 11).
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
  return { otpauthUri, secret, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` }
}

/**
 * Confirms the pending secret with a first valid code and issues new recovery
 * codes (returned once). Undefined when there is nothing pending or the code is
 * wrong. Run it in a transaction.
 */
export async function confirmEnrolment(
  db: Db,
  user: { id: number; username: string },
  code: string,
  policy: LoginPolicy,
): Promise<string[] | undefined> {
  const row = await findSecondFactor(db, user.id)
  if (!row?.pendingSecret) return undefined
  const step = matchingStep(openSecret(row.pendingSecret, policy.totpSecretKey), user.username, normaliseCode(code))
  if (step === undefined) return undefined
  await promotePendingSecret(db, user.id, step)
  return issueRecoveryCodes(db, user.id)
}

/** Replaces the user's recovery codes with {@link RECOVERY_CODE_COUNT} new ones, returned once. */
export async function issueRecoveryCodes(db: Db, userId: number): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode)
  await replaceRecoveryCodes(db, userId, codes.map((code) => hashSecret(normaliseRecoveryCode(code))))
  return codes
}

/** Whether the user has a confirmed second factor. */
export async function hasSecondFactor(db: Db, userId: number): Promise<boolean> {
  const row = await findSecondFactor(db, userId)
  return Boolean(row?.secret)
}

/**
 * Checks a second-factor code: a current TOTP code not used before (a replay
 * within its step is refused), or an unused recovery code (then used up).
 */
export async function verifySecondFactor(db: Db, user: { id: number; username: string }, code: string, policy: LoginPolicy): Promise<boolean> {
  const row = await findSecondFactor(db, user.id)
  if (!row?.secret) return false
  const digits = normaliseCode(code)
  if (/^\d{6}$/.test(digits)) {
    const step = matchingStep(openSecret(row.secret, policy.totpSecretKey), user.username, digits)
    return step !== undefined && (await claimTotpStep(db, user.id, step))
  }
  const recovery = normaliseRecoveryCode(code)
  if (recovery.length !== 16) return false
  return useRecoveryCode(db, user.id, hashSecret(recovery))
}

/** Turns the second factor off (the caller checks that the role may). */
export async function disableSecondFactor(db: Db, userId: number): Promise<void> {
  await deleteSecondFactor(db, userId)
}

/** The user's second factor, without any secret. */
export async function secondFactorStatus(db: Db, user: { id: number; role: Role }, policy: LoginPolicy): Promise<SecondFactorStatus> {
  const row = await findSecondFactor(db, user.id)
  const enabled = Boolean(row?.secret)
  return {
    enabled,
    enabledAt: row?.enabledAt ? new Date(row.enabledAt).toISOString() : null,
    pending: Boolean(row?.pendingSecret),
    recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(db, user.id) : 0,
    required: secondFactorRequired(user.role, policy),
  }
}

/** Alphabet of recovery codes: no 0/O, 1/I/L, so they survive being written down. */
const RECOVERY_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'

/** A recovery code: 16 characters (about 79 random bits) in groups of four, e.g. `K7QM-2XHD-9PWA-TR4E`. */
function newRecoveryCode(): string {
  const bytes = randomBytes(16)
  const chars = [...bytes].map((byte) => RECOVERY_ALPHABET[byte % RECOVERY_ALPHABET.length]).join('')
  return chars.match(/.{4}/g)!.join('-')
}

/** A recovery code as hashed: upper case, without spaces or hyphens. */
function normaliseRecoveryCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

/** A TOTP code as typed (spaces allowed: "123 456"). */
function normaliseCode(code: string): string {
  return code.replace(/\s/g, '')
}
