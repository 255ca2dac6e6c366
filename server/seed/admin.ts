import type { Db } from '../core/db/database.ts'
import { message } from '../core/i18n/messages.ts'
import { generatePassword, hashPassword } from '../features/users/password-hash.ts'
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../features/users/password-rules.ts'
import { insertUser, usernameExists } from '../core/auth/users.repository.ts'

/** Outcome of {@link ensureAdmin}: the generated password is returned once, never stored. */
export type AdminSeedResult =
  | { created: false }
  | { created: true; generatedPassword?: string }

/**
 * Creates the first administrator `admin` if it does not exist, with
 * `password` or, when absent, a generated one that the caller prints once.
 * A chosen password must pass the same rules as any other (else it throws,
 * naming ADMIN_PASSWORD and the rule, so the start stops with a clear reason).
 */
export async function ensureAdmin(db: Db, password?: string): Promise<AdminSeedResult> {
  if (await usernameExists(db, 'admin')) return { created: false }
  const problem = password === undefined ? undefined : passwordProblem(password, 'admin')
  if (problem) throw new Error(`ADMIN_PASSWORD is not acceptable: ${message(problem, 'en', { min: MIN_PASSWORD_LENGTH })}`)
  const chosen = password ?? generatePassword()
  await insertUser(db, {
    username: 'admin',
    displayName: '系统管理员',
    passwordHash: await hashPassword(chosen),
    role: 'admin',
  })
  return password ? { created: true } : { created: true, generatedPassword: chosen }
}
