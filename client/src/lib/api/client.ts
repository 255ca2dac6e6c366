import { i18n } from '../i18n/i18n.svelte';
import { toasts } from '../ui/toasts.svelte';
import type { AppMeta, AreaCollection, AreaDetail, AreaLayerKey, User } from './types';
import type { Capabilities } from '../../../../server/features/users/capabilities.ts';

/** A completed sign-in and `GET /api/auth/me`: the user and what the server lets them do. */
export interface SignedIn {
  user: User;
  capabilities: Capabilities;
}

/** A failed API call, carrying the server's `code` and translated `message`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The whole error body, e.g. `current` (the record as it is now) on 409/412. */
  readonly body: Record<string, unknown>;

  constructor(status: number, code: string, message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** Options of one API request. */
export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
  /** Statuses the caller handles itself: no toast, no sign-out. */
  handled?: number[];
  /** Extra request headers, e.g. `If-Match`. */
  headers?: Record<string, string>;
  /** Content type of `body` (default `application/json`). */
  contentType?: string;
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/**
 * Registers a callback for a 401 answer that the caller did not expect
 * (the session ended while the map was open). Returns an unsubscribe function.
 */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function errorFrom(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Record<string, unknown> & Partial<{ code: string; message: string }>;
    if (body && typeof body.message === 'string') {
      return new ApiError(response.status, body.code ?? 'error', body.message, body);
    }
  } catch {
    // Not JSON: fall through to a generic message.
  }
  return new ApiError(response.status, 'http_error', i18n.t('error.status', { status: response.status }));
}

function report(error: ApiError, handled: number[]): void {
  if (handled.includes(error.status)) return;
  if (error.status === 401) {
    unauthorizedListeners.forEach((listener) => listener());
  }
  toasts.show(error.message);
}

/**
 * Calls the GridAtlas API with the session cookie and the interface language in
 * `Accept-Language`. A non-2xx answer throws an {@link ApiError} and, unless the
 * status is in `handled`, shows the server's message in a toast.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  return (await requestWithEtag<T>(path, options)).body;
}

/** Like {@link request}, also returning the answer's `ETag` (the record's version), if any. */
export async function requestWithEtag<T>(path: string, options: RequestOptions = {}): Promise<{ body: T; etag: string | null }> {
  const { method = 'GET', body, signal, handled = [], contentType = 'application/json' } = options;
  const headers: Record<string, string> = {
    Accept: 'application/json, application/geo+json',
    'Accept-Language': i18n.locale,
    ...options.headers,
  };
  if (body !== undefined) headers['Content-Type'] = contentType;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    const error = new ApiError(0, 'network', i18n.t('error.network'));
    report(error, handled);
    throw error;
  }

  if (!response.ok) {
    const error = await errorFrom(response);
    report(error, handled);
    throw error;
  }
  const etag = response.headers.get('etag');
  if (response.status === 204) return { body: undefined as T, etag };
  return { body: (await response.json()) as T, etag };
}

/** The GridAtlas endpoints the client uses. */
export const api = {
  /** The signed-in user; 401 when there is no session (handled by the caller). */
  me: (signal?: AbortSignal) => request<SignedIn>('/api/auth/me', { signal, handled: [401] }),

  /** Signs in; 401 answers carry the server's message (handled by the caller). */
  login: (username: string, password: string) =>
    request<SignedIn>('/api/auth/login', {
      method: 'POST',
      body: { username, password },
      handled: [400, 401, 403, 429],
    }),

  /** Ends the session. */
  logout: () => request<void>('/api/auth/logout', { method: 'POST', handled: [401] }),

  /** Facts about the data set. */
  meta: () => request<AppMeta>('/api/meta', { handled: [401, 404] }),

  /**
   * All features of one area collection, following `next` links if the server
   * pages; with `datetime` (RFC 3339), the versions in force then.
   */
  collection: async (key: AreaLayerKey, signal?: AbortSignal, datetime?: string | null): Promise<AreaCollection> => {
    const when = datetime ? `&datetime=${encodeURIComponent(datetime)}` : '';
    let page = await request<AreaCollection>(`/api/collections/${key}/items?limit=10000${when}`, { signal });
    const features = [...page.features];
    for (let pages = 1; pages < MAX_PAGES; pages++) {
      const next = nextPage(page);
      if (!next || page.features.length === 0) break;
      page = await request<AreaCollection>(next, { signal });
      features.push(...page.features);
    }
    return { ...page, features, numberReturned: features.length };
  },

  /** One area with its staff and version. */
  area: (id: number, signal?: AbortSignal) => request<AreaDetail>(`/api/areas/${id}`, { signal }),
};

const MAX_PAGES = 50;

/** The same-origin path of an OGC API `next` link, if any. */
function nextPage(page: AreaCollection): string | null {
  const link = page.links?.find((candidate) => candidate.rel === 'next');
  if (!link) return null;
  const url = new URL(link.href, window.location.href);
  return `${url.pathname}${url.search}`;
}
