import { Type, type Static, type TSchema } from 'typebox'
import { UserSchema } from '../../core/http/common.schemas.ts'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

/** A live browser session as listed (never its cookie value). */
export const SessionSchema = Type.Object({
  id: Type.Integer(),
  createdAt: Type.String({ description: 'Sign-in time' }),
  lastSeenAt: Type.String({ description: 'Last use, recorded at most once a minute' }),
  expiresAt: Type.String({ description: 'When the session ends however busy (maximum lifetime)' }),
  idleExpiresAt: Type.String({ description: 'When the session ends if unused until then' }),
  clientIp: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'This request was made with this session' }),
})
export type SessionDto = Static<typeof SessionSchema>

/** A usable API token as listed (never its secret). */
export const TokenInfoSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  prefix: Type.String({ description: 'First characters of the token, to recognise it' }),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  lastUsedAt: Nullable(Type.String()),
  issuedBy: Nullable(Type.Object({ id: Type.Integer(), username: Type.Union([Type.String(), Type.Null()]) })),
  current: Type.Boolean({ description: 'This request was made with this token' }),
})
export type TokenInfoDto = Static<typeof TokenInfoSchema>

/** A user as the security administrator sees them. */
export const UserStatusSchema = Type.Object({
  ...UserSchema.properties,
  disabled: Type.Boolean(),
  activeSessions: Type.Integer(),
  activeTokens: Type.Integer(),
})
export type UserStatusDto = Static<typeof UserStatusSchema>

/** How many credentials a change ended. */
export const EndedSchema = Type.Object({
  sessions: Type.Integer({ description: 'Sessions ended' }),
  tokens: Type.Integer({ description: 'API tokens revoked' }),
})

/** `:userId` of the per-user routes. */
export const UserIdParams = Type.Object({ userId: Type.Integer({ minimum: 1 }) })
