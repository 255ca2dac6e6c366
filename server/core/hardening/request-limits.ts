/**
 * Limits that keep one client from holding the server's time, memory or
 * sockets (issue 9, point 7). Each can be overridden in {@link BuildAppOptions}
 * (tests use small values); the defaults suit a township deployment.
 */
export interface RequestLimits {
  /** Whole request, headers and body, must arrive within this (Node `requestTimeout`; 408 otherwise). */
  requestTimeoutMs: number
  /** Request headers must arrive within this (Node `headersTimeout`), against slow-header clients. */
  headersTimeoutMs: number
  /** A socket idle this long is closed (Fastify `connectionTimeout`); above the live stream's 15 s heartbeat. */
  connectionTimeoutMs: number
  /** Largest `offset` a paged route accepts; deeper pages are refused (400) instead of scanning millions of rows. */
  maxOffset: number
  /** Photo uploads handled at once; more answer 503 with Retry-After. */
  maxConcurrentPhotoUploads: number
  /** Live event streams one user may hold open; the next answers 429. */
  maxLiveStreamsPerUser: number
}

/**
 * Defaults: a 32 MB boundary import must arrive within two minutes (≈ 270 kB/s),
 * headers within 20 s; an idle connection is dropped after a minute.
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = {
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 20_000,
  connectionTimeoutMs: 60_000,
  maxOffset: 1_000_000,
  maxConcurrentPhotoUploads: 4,
  maxLiveStreamsPerUser: 5,
}

/** Seconds a client is asked to wait (Retry-After) when every upload slot is taken. */
export const UPLOAD_RETRY_AFTER_SECONDS = 5
