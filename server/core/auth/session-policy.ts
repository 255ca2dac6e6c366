/** How long browser sessions last; set from `SESSION_IDLE_MINUTES` and `SESSION_MAX_HOURS`. */
export interface SessionPolicy {
  /** A session unused this long ends (automatic logout on inactivity). */
  idleMinutes: number
  /** A session ends this long after sign-in, however busy. */
  maxHours: number
  /** Mark the session cookie `Secure` (behind HTTPS). */
  secureCookies: boolean
}

/** Defaults: 30 minutes idle, 12 hours at most (a working day with overtime). */
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 30, maxHours: 12, secureCookies: false }

/** How often a session's last use is written (at most); the idle timeout is counted from that write. */
export const SESSION_TOUCH_MS = 60_000

/** The instant before which an unused session counts as idle. */
export function idleSince(policy: SessionPolicy, now = Date.now()): Date {
  return new Date(now - policy.idleMinutes * 60_000)
}

/** When a session's cookie should expire: at its idle end, but never after its absolute end. */
export function cookieExpiry(policy: SessionPolicy, lastSeenAt: Date, expiresAt: Date): Date {
  const idleEnd = lastSeenAt.getTime() + policy.idleMinutes * 60_000
  return new Date(Math.min(idleEnd, expiresAt.getTime()))
}
