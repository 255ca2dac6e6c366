import { HttpError } from '../../core/http/http-error.ts'

/**
 * Whether a photo URL is safe to put in a link or an `<img>`: an absolute
 * http(s) URL, or a path of this app (`/…`, not the protocol-relative `//…`).
 * Refuses `javascript:`, `data:`, `vbscript:` and the like, whatever their case
 * or leading blanks, since browsers ignore those.
 */
export function isSafePhotoUrl(url: string): boolean {
  if (/[\u0000-\u0020\u007f]/.test(url)) return false
  if (url.startsWith('/')) return !url.startsWith('//') && !url.startsWith('/\\')
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
  } catch {
    return false
  }
}

/** Refuses (400) the first photo whose URL is not {@link isSafePhotoUrl}. */
export function assertSafePhotoUrls(photos: ReadonlyArray<{ url: string }> | undefined): void {
  for (const photo of photos ?? []) {
    if (!isSafePhotoUrl(photo.url)) throw new HttpError(400, 'photo_url_scheme', { url: photo.url.slice(0, 80) })
  }
}
