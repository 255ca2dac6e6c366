import { Type } from 'typebox'

/** The login's answer when a second step is needed instead of a session. */
export const SecondStepSchema = Type.Object({
  secondFactor: Type.Union([Type.Literal('required'), Type.Literal('enrol')], {
    description: '`required`: send a code to POST /api/auth/login/totp; `enrol`: enrol an authenticator first (POST /api/auth/login/enrol)',
  }),
  challenge: Type.String({ description: 'Short-lived and bound to this user; send it with the next step' }),
  expiresInSeconds: Type.Integer(),
})

/** An authenticator being enrolled; shown once, the secret is never returned again. */
export const EnrolmentSchema = Type.Object({
  otpauthUri: Type.String({ description: 'otpauth://totp/… (RFC 6238, SHA-1, 6 digits, 30 s)' }),
  secret: Type.String({ description: 'Base32 secret for manual entry' }),
  qrSvgDataUrl: Type.String({ description: 'The URI as a QR code, a data: URL of an SVG image' }),
})

/** Recovery codes, shown only in this answer. */
export const RecoveryCodesSchema = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: 'Single-use; each replaces a code once. Shown only now.' }),
})

/** A user's second factor, without its secret. */
export const SecondFactorStatusSchema = Type.Object({
  enabled: Type.Boolean(),
  enabledAt: Type.Union([Type.String(), Type.Null()]),
  pending: Type.Boolean({ description: 'An enrolment was started and awaits its first code' }),
  recoveryCodesLeft: Type.Integer(),
  required: Type.Boolean({ description: 'The role must sign in with a second factor' }),
})

/** A challenge and a code (TOTP or recovery). */
export const ChallengeCodeBody = Type.Object(
  {
    challenge: Type.String({ minLength: 1, maxLength: 100 }),
    code: Type.String({ minLength: 6, maxLength: 30, description: '6 digits from the authenticator, or a recovery code' }),
  },
  { additionalProperties: false },
)

/** A code (TOTP or recovery) confirming a change. */
export const CodeBody = Type.Object(
  { code: Type.String({ minLength: 6, maxLength: 30, description: '6 digits from the authenticator, or a recovery code' }) },
  { additionalProperties: false },
)
