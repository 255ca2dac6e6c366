import { i18n } from '../../i18n/i18n.svelte';
import { ApiError, request } from '../../api/client';

/** Most photos a case may have (the server refuses more). */
export const MAX_CASE_PHOTOS = 9;

/** Largest photo the server accepts, in bytes. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** A stored photo of a case. */
export interface CasePhoto {
  id: number;
  /** Streams the image with the case's read permission. */
  url: string;
  contentType: string;
  sizeBytes: number;
  originalName: string | null;
  uploadedAt: string;
  uploadedBy: number;
}

/** Masked case fields that can be revealed with a reason. */
export type CaseRevealField = 'reporterPhone' | 'partyPhones';

/** What a reveal returns: only the fields asked for. */
export interface RevealedCasePhones {
  id: number;
  reporterPhone?: string | null;
  parties?: { seq: number; name: string; phone: string | null }[];
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { code?: string; message?: string };
    if (typeof body.message === 'string') return new ApiError(response.status, body.code ?? 'error', body.message, body);
  } catch {
    // Not JSON: a generic message below.
  }
  return new ApiError(response.status, 'http_error', i18n.t('error.status', { status: response.status }));
}

/** Photo and phone-reveal endpoints of hazards and disputes. */
export const casePhotosApi = {
  /** The photos of a case, oldest first. */
  list: (caseId: number, signal?: AbortSignal) =>
    request<{ photos: CasePhoto[] }>(`/api/cases/${caseId}/photos`, { signal, handled: [404] }).then((body) => body.photos),

  /**
   * Uploads photos (multipart, field `photo`); answers every photo of the case.
   * Errors are thrown as {@link ApiError} with the server's message, not toasted.
   */
  upload: async (caseId: number, files: readonly File[]): Promise<CasePhoto[]> => {
    const form = new FormData();
    for (const file of files) form.append('photo', file, file.name);
    let response: Response;
    try {
      response = await fetch(`/api/cases/${caseId}/photos`, {
        method: 'POST',
        body: form,
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'Accept-Language': i18n.locale },
      });
    } catch {
      throw new ApiError(0, 'network', i18n.t('error.network'));
    }
    if (!response.ok) throw await failure(response);
    return ((await response.json()) as { photos: CasePhoto[] }).photos;
  },

  /** Reveals masked phones of a case with a reason (audited); 400/403 are the caller's to show. */
  reveal: (caseId: number, fields: CaseRevealField[], reason: string) =>
    request<RevealedCasePhones>(`/api/cases/${caseId}/reveal`, { method: 'POST', body: { fields, reason }, handled: [400, 403] }),
};
