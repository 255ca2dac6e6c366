import type { SessionRecord, TokenRecord } from '../../core/auth/credentials.repository.ts'
import type { UserStatusRecord } from './user-status.repository.ts'
import type { SessionDto, TokenInfoDto, UserStatusDto } from './credentials.schemas.ts'
import type { Credential } from '../../core/auth/credential-cache.ts'
import type { SessionPolicy } from '../../core/auth/session-policy.ts'
import { toUserDto } from './user-dto.ts'

/** The API view of a session; `current` marks the one the request came with. */
export function toSessionDto(session: SessionRecord, policy: SessionPolicy, current: Credential | null): SessionDto {
  const idleEnd = Math.min(session.lastSeenAt.getTime() + policy.idleMinutes * 60_000, session.expiresAt.getTime())
  return {
    id: session.id,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    idleExpiresAt: new Date(idleEnd).toISOString(),
    clientIp: session.clientIp,
    userAgent: session.userAgent,
    current: current?.kind === 'session' && current.id === session.id,
  }
}

/** The API view of a token (never its secret); `current` marks the one the request came with. */
export function toTokenInfoDto(token: TokenRecord, current: Credential | null): TokenInfoDto {
  return {
    id: token.id,
    name: token.name,
    prefix: token.tokenPrefix,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    issuedBy: token.issuedBy === null ? null : { id: token.issuedBy, username: token.issuedByUsername },
    current: current?.kind === 'token' && current.id === token.id,
  }
}

/** The security administrator's view of a user. */
export function toUserStatusDto(user: UserStatusRecord): UserStatusDto {
  return { ...toUserDto(user), disabled: user.disabled, activeSessions: user.activeSessions, activeTokens: user.activeTokens }
}
