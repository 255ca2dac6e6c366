import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

const KEY_LENGTH = 64

/** scrypt parameters: CPU/memory cost `N` (a power of two), block size `r`, parallelism `p`. */
export interface ScryptCost {
  N: number
  r: number
  p: number
}

/**
 * OWASP Password Storage Cheat Sheet's scrypt parameters (N=2^17, r=8, p=1):
 * about 128 MiB and 0.3–0.5 s per hash on this class of machine.
 */
export const OWASP_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 }

/** A deliberately weak cost for test runs only (see {@link setPasswordHashCost}). */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 }

let currentCost: ScryptCost = OWASP_SCRYPT_COST

/**
 * Lowers the cost of new hashes for a test run, where hundreds of users are
 * created. Refused outside vitest so a production process can never weaken it:
 * production always hashes with {@link OWASP_SCRYPT_COST}.
 */
export function setPasswordHashCost(cost: ScryptCost): void {
  const weaker = cost.N < OWASP_SCRYPT_COST.N || cost.r < OWASP_SCRYPT_COST.r
  if (weaker && !process.env.VITEST) throw new Error('A scrypt cost below OWASP_SCRYPT_COST is only allowed in tests')
  currentCost = cost
}

/** The cost new hashes are made with. */
export function passwordHashCost(): ScryptCost {
  return currentCost
}

/**
 * Node refuses scrypt when 128·N·r exceeds `maxmem` (default 32 MiB); N=2^17,
 * r=8 needs exactly 128 MiB, so allow that plus room for the p blocks.
 */
function maxmemBytes(cost: ScryptCost): number {
  return 128 * cost.N * cost.r + 128 * cost.r * cost.p + 1024 * 1024
}

function scryptAsync(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: maxmemBytes(cost) }
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)))
  })
}

/** Hashes a password with scrypt; the result carries its own parameters and salt. */
export async function hashPassword(password: string, cost: ScryptCost = currentCost): Promise<string> {
  const salt = randomBytes(16)
  const key = await scryptAsync(password, salt, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** The parameters a stored hash was made with, or undefined if it is not one of ours. */
function parseHash(stored: string) {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !key) return undefined
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (![cost.N, cost.r, cost.p].every((value) => Number.isInteger(value) && value > 0)) return undefined
  return { cost, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') }
}

/** Checks a password against a hash from {@link hashPassword}, in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (!parsed) return false
  const actual = await scryptAsync(password, parsed.salt, parsed.cost)
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key)
}

/**
 * Whether a stored hash is weaker than what new hashes get, so the next
 * successful sign-in should store a fresh one.
 */
export function needsRehash(stored: string, cost: ScryptCost = currentCost): boolean {
  const parsed = parseHash(stored)
  if (!parsed) return true
  return parsed.cost.N < cost.N || parsed.cost.r < cost.r || parsed.cost.p < cost.p
}

/** A random password that is easy to copy: 4 groups of 5 characters. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'
  const bytes = randomBytes(20)
  const chars = [...bytes].map((byte) => alphabet[byte % alphabet.length])
  return [0, 5, 10, 15].map((start) => chars.slice(start, start + 5).join('')).join('-')
}
