import { request, type SignedIn } from '../../api/client';

/** The login's answer when a second step is needed instead of a session. */
export interface SecondStep {
  /** `required`: enter a code; `enrol`: an administrator must set up an authenticator first. */
  secondFactor: 'required' | 'enrol';
  challenge: string;
  expiresInSeconds: number;
}

/** An authenticator being set up: shown once; the secret is never returned again. */
export interface Enrolment {
  otpauthUri: string;
  secret: string;
  qrSvgDataUrl: string;
}

/** The signed-in user's second factor (`GET /api/auth/second-factor`). */
export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  pending: boolean;
  recoveryCodesLeft: number;
  required: boolean;
}

/** Statuses the screens show inline instead of as toasts (401 here is a wrong code, not an ended session). */
const INLINE = [400, 401, 403, 409, 429];

/** Sign-in and second-factor endpoints. */
export const secondFactorApi = {
  /** Password step: a session (`user` and `capabilities`) or the next step. */
  login: (username: string, password: string) =>
    request<SignedIn | SecondStep>('/api/auth/login', { method: 'POST', body: { username, password }, handled: INLINE }),

  /** Code step of the sign-in. */
  verify: (challenge: string, code: string) =>
    request<SignedIn>('/api/auth/login/totp', { method: 'POST', body: { challenge, code }, handled: INLINE }),

  /** Forced enrolment of an administrator: the secret and its QR code. */
  beginLoginEnrolment: (challenge: string) =>
    request<Enrolment>('/api/auth/login/enrol', { method: 'POST', body: { challenge }, handled: INLINE }),

  /** Forced enrolment: the first code confirms; answers the session's user, capabilities and the recovery codes. */
  confirmLoginEnrolment: (challenge: string, code: string) =>
    request<SignedIn & { recoveryCodes: string[] }>('/api/auth/login/enrol/confirm', {
      method: 'POST',
      body: { challenge, code },
      handled: INLINE,
    }),

  /** The signed-in user's second factor. */
  status: () => request<SecondFactorStatus>('/api/auth/second-factor'),

  /** Starts (or redoes) enrolment for the signed-in user. */
  enrol: () => request<Enrolment>('/api/auth/second-factor/enrol', { method: 'POST' }),

  /** Confirms the enrolment with a first code; answers new recovery codes. */
  confirm: (code: string) =>
    request<{ recoveryCodes: string[] }>('/api/auth/second-factor/confirm', { method: 'POST', body: { code }, handled: [400, 409, 429] }),

  /** New recovery codes, confirmed by a current code. */
  regenerate: (code: string) =>
    request<{ recoveryCodes: string[] }>('/api/auth/second-factor/recovery-codes', { method: 'POST', body: { code }, handled: [400, 409, 429] }),

  /** Turns the second factor off, confirmed by a current code. */
  disable: (code: string) =>
    request<void>('/api/auth/second-factor/disable', { method: 'POST', body: { code }, handled: [400, 403, 409, 429] }),
};
