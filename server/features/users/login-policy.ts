/** Whether the administrator roles must sign in with a second factor. */
export type AdminSecondFactor = 'required' | 'off'

/** How sign-in is protected; see {@link DEFAULT_LOGIN_POLICY} for the defaults. */
export interface LoginPolicy {
  /** Failed sign-ins for one username, within the window, that lock it. */
  maxFailuresPerUsername: number
  /** Failed sign-ins from one client address, within the window, that lock it. */
  maxFailuresPerAddress: number
  /** How long failures are counted before the count starts again. */
  failureWindowMinutes: number
  /** How long a lock lasts. */
  lockMinutes: number
  /** `'off'` lets administrators sign in with a password only (a local trial of the sample). */
  adminSecondFactor: AdminSecondFactor
  /** How long a challenge between password and second factor (or enrolment) stays valid. */
  challengeSeconds: number
  /** 32-byte key sealing TOTP secrets at rest (`TOTP_SECRET_KEY`); without it they are stored unsealed. */
  totpSecretKey?: Buffer
}

/** Defaults: 5 failures per username or 20 per address within 15 minutes lock for 15 minutes. */
export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  maxFailuresPerUsername: 5,
  maxFailuresPerAddress: 20,
  failureWindowMinutes: 15,
  lockMinutes: 15,
  adminSecondFactor: 'required',
  challengeSeconds: 300,
}

/** The policy with `overrides` applied over {@link DEFAULT_LOGIN_POLICY}. */
export function resolveLoginPolicy(overrides: Partial<LoginPolicy> = {}): LoginPolicy {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined))
  return { ...DEFAULT_LOGIN_POLICY, ...defined }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** How sign-in is protected (throttling, second factor). */
    loginPolicy: LoginPolicy
  }
}
