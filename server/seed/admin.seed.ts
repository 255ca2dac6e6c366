import type { Db } from '../db/database.ts'
import { generatePassword, hashPassword } from '../security/password.hash.ts'
import { insertUser, usernameExists } from '../repositories/users.repository.ts'

/** Outcome of {@link ensureAdmin}: the generated password is returned once, never stored. */
export type AdminSeedResult =
  | { created: false }
  | { created: true; generatedPassword?: string }

/**
 * Creates the first administrator `admin` if it does not exist, with
 * `password` or, when absent, a generated one that the caller prints once.
 */
export async function ensureAdmin(db: Db, password?: string): Promise<AdminSeedResult> {
  if (await usernameExists(db, 'admin')) return { created: false }
  const chosen = password ?? generatePassword()
  await insertUser(db, {
    username: 'admin',
    displayName: '系统管理员',
    passwordHash: await hashPassword(chosen),
    role: 'admin',
  })
  return password ? { created: true } : { created: true, generatedPassword: chosen }
}
