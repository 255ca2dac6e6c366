import { request } from '../../api/client';
import type { Role, User } from '../../api/types';

/** A live browser session of the signed-in user (`GET /api/auth/sessions`). */
export interface SessionInfo {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  idleExpiresAt: string;
  clientIp: string | null;
  userAgent: string | null;
  /** The session this browser is using. */
  current: boolean;
}

/** A usable API token (`GET /api/auth/tokens`); never its secret. */
export interface TokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  issuedBy: { id: number; username: string | null } | null;
  current: boolean;
}

/** A freshly created token: the secret is shown once. */
export interface IssuedToken {
  id: number;
  name: string;
  token: string;
  expiresAt: string;
}

/** A user as the security administrator sees them (`GET /api/security/users`). */
export interface UserStatus extends User {
  disabled: boolean;
  activeSessions: number;
  activeTokens: number;
}

/** How many credentials a change ended. */
export interface Ended {
  sessions: number;
  tokens: number;
}

/** Sessions, tokens and (for the security administrator) users' credentials. */
export const accountApi = {
  sessions: () => request<{ sessions: SessionInfo[] }>('/api/auth/sessions').then((body) => body.sessions),
  revokeSession: (id: number) => request<void>(`/api/auth/sessions/${id}`, { method: 'DELETE' }),
  tokens: () => request<{ tokens: TokenInfo[] }>('/api/auth/tokens').then((body) => body.tokens),
  createToken: (name: string, expiresInDays: number) =>
    request<IssuedToken>('/api/auth/tokens', { method: 'POST', body: { name, expiresInDays } }),
  revokeToken: (id: number) => request<void>(`/api/auth/tokens/${id}`, { method: 'DELETE' }),

  users: () => request<{ users: UserStatus[] }>('/api/security/users').then((body) => body.users),
  changeUser: (id: number, change: { disabled?: boolean; role?: Role }) =>
    request<{ user: UserStatus }>(`/api/users/${id}`, { method: 'PATCH', body: change }).then((body) => body.user),
  resetPassword: (id: number, password: string) => request<Ended>(`/api/users/${id}/password`, { method: 'POST', body: { password } }),
  revokeAll: (id: number) => request<Ended>(`/api/users/${id}/credentials`, { method: 'DELETE' }),
};
