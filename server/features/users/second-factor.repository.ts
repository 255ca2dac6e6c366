import { sql } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { ChallengePurpose } from '../../core/db/tables/login.ts'

/** A user's second-factor row, as stored (secrets still sealed). */
export interface SecondFactorRow {
  secret: string | null
  enabledAt: Date | null
  pendingSecret: string | null
  pendingCreatedAt: Date | null
}

/** The user's second-factor row, or undefined. */
export async function findSecondFactor(db: Db, userId: number): Promise<SecondFactorRow | undefined> {
  return db
    .selectFrom('user_second_factors')
    .select(['secret', 'enabled_at as enabledAt', 'pending_secret as pendingSecret', 'pending_created_at as pendingCreatedAt'])
    .where('user_id', '=', userId)
    .executeTakeFirst()
}

/** Stores a secret being enrolled, keeping any confirmed one until the new one is confirmed. */
export async function savePendingSecret(db: Db, userId: number, sealed: string): Promise<void> {
  await db
    .insertInto('user_second_factors')
    .values({ user_id: userId, secret: null, enabled_at: null, pending_secret: sealed, pending_created_at: new Date() })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ pending_secret: sealed, pending_created_at: new Date() }))
    .execute()
}

/** Makes the pending secret the confirmed one, with `step` as its last used time step. */
export async function promotePendingSecret(db: Db, userId: number, step: number): Promise<void> {
  await db
    .updateTable('user_second_factors')
    .set({
      secret: sql<string>`pending_secret`,
      enabled_at: new Date(),
      pending_secret: null,
      pending_created_at: null,
      last_used_step: step,
    })
    .where('user_id', '=', userId)
    .execute()
}

/**
 * Records `step` as used, only if it is later than the last one used: false
 * for a code replayed within its step (or an older one), atomically.
 */
export async function claimTotpStep(db: Db, userId: number, step: number): Promise<boolean> {
  const row = await db
    .updateTable('user_second_factors')
    .set({ last_used_step: step })
    .where('user_id', '=', userId)
    .where('secret', 'is not', null)
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', step)]))
    .returning('user_id')
    .executeTakeFirst()
  return row !== undefined
}

/** Removes the user's second factor and recovery codes. */
export async function deleteSecondFactor(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute()
  await db.deleteFrom('user_second_factors').where('user_id', '=', userId).execute()
}

/** Replaces the user's recovery codes by these hashes. */
export async function replaceRecoveryCodes(db: Db, userId: number, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('user_recovery_codes').where('user_id', '=', userId).execute()
  await db.insertInto('user_recovery_codes').values(codeHashes.map((hash) => ({ user_id: userId, code_hash: hash, used_at: null }))).execute()
}

/** Marks an unused recovery code used; false when there is no such unused code (atomic: usable once). */
export async function useRecoveryCode(db: Db, userId: number, codeHash: string): Promise<boolean> {
  const row = await db
    .updateTable('user_recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst()
  return row !== undefined
}

/** How many unused recovery codes the user has. */
export async function countUnusedRecoveryCodes(db: Db, userId: number): Promise<number> {
  const row = await db
    .selectFrom('user_recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Stores a login challenge (by hash). */
export async function insertChallenge(db: Db, tokenHash: string, userId: number, purpose: ChallengePurpose, expiresAt: Date): Promise<void> {
  await db.insertInto('login_challenges').values({ token_hash: tokenHash, user_id: userId, purpose, expires_at: expiresAt }).execute()
}

/** The live challenge with this hash and purpose, or undefined (expired ones are gone too). */
export async function findChallenge(db: Db, tokenHash: string, purpose: ChallengePurpose): Promise<{ userId: number } | undefined> {
  const row = await db
    .selectFrom('login_challenges')
    .select('user_id')
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
  return row ? { userId: Number(row.user_id) } : undefined
}

/** Ends a challenge (used once), and drops the user's expired ones. */
export async function deleteChallenge(db: Db, tokenHash: string, userId: number): Promise<void> {
  await db
    .deleteFrom('login_challenges')
    .where((eb) => eb.or([eb('token_hash', '=', tokenHash), eb.and([eb('user_id', '=', userId), eb('expires_at', '<=', sql<Date>`now()`)])]))
    .execute()
}
