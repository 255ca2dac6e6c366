import type { Db } from '../../core/db/database.ts'
import type { ChallengePurpose } from '../../core/db/tables/login.ts'
import type { Role } from '../../core/db/tables/auth.ts'
import { insertChallenge } from './second-factor.repository.ts'
import type { LoginPolicy } from './login-policy.ts'
import { hashSecret, newSecret } from '../../core/auth/token.ts'
import { hasSecondFactor, secondFactorRequired } from './second-factor.service.ts'

/** What the login answers instead of a session when a second step is needed. */
export interface SecondStep {
  /** `required`: send a code to /api/auth/login/totp; `enrol`: an administrator must enrol first (/api/auth/login/enrol). */
  secondFactor: 'required' | 'enrol'
  challenge: string
  expiresInSeconds: number
}

/**
 * The second step after a correct password: a code for users with a second
 * factor, an enrolment for administrators who must have one and do not yet;
 * undefined when the password is enough.
 */
export async function secondStepFor(db: Db, policy: LoginPolicy, user: { id: number; role: Role }): Promise<SecondStep | undefined> {
  if (await hasSecondFactor(db, user.id)) return issueChallenge(db, policy, user.id, 'verify')
  if (secondFactorRequired(user.role, policy)) return issueChallenge(db, policy, user.id, 'enrol')
  return undefined
}

async function issueChallenge(db: Db, policy: LoginPolicy, userId: number, purpose: ChallengePurpose): Promise<SecondStep> {
  const challenge = newSecret()
  await insertChallenge(db, hashSecret(challenge), userId, purpose, new Date(Date.now() + policy.challengeSeconds * 1000))
  return { secondFactor: purpose === 'verify' ? 'required' : 'enrol', challenge, expiresInSeconds: policy.challengeSeconds }
}
