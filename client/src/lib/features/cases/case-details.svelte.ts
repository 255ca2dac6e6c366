import { ApiError } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';
import { toasts } from '../../ui/toasts.svelte';
import { casesApi } from './api';
import { labelOf } from './labels';
import { casePhotosApi, MAX_PHOTO_BYTES, type CasePhoto, type RevealedCasePhones } from './photos-api';
import type { CaseAction, CaseEvent, CaseFeature, CaseKind, CaseProps } from './types';

/** A case as a GeoJSON point feature. */
function asFeature(props: CaseProps): CaseFeature {
  return { type: 'Feature', id: props.id, geometry: { type: 'Point', coordinates: [props.lon, props.lat] }, properties: props };
}

/** Why a load failed, for the panel. */
function failureText(error: unknown): string {
  return error instanceof ApiError ? error.message : i18n.t('error.network');
}

/**
 * One hazard or dispute for the case panel: the record and its `ETag`, the
 * ledger (台账), its photos, phones revealed so far, and the state of a
 * workflow action being sent. `load` fetches a case (dropping the previous
 * one); `perform`, `addPhotos` and `revealed` update it.
 */
export class CaseDetails {
  /** The case; `null` while loading or after a failure. */
  current = $state.raw<CaseProps | null>(null);
  /** The ledger, oldest first; empty until loaded (the details stay usable without it). */
  events = $state.raw<CaseEvent[]>([]);
  /** Why the case could not be loaded, or `null`. */
  failure = $state<string | null>(null);
  /** True while an action is being sent. */
  busy = $state(false);
  /** Phones revealed so far (`null`: none). */
  revealed = $state.raw<RevealedCasePhones | null>(null);
  /** The case's photos. */
  photos = $state.raw<CasePhoto[]>([]);
  /** Whether the photo list has loaded. */
  photosLoaded = $state(false);
  /** Whether the photo list failed to load. */
  photosFailed = $state(false);
  /** True while photos are uploading. */
  uploading = $state(false);

  #kind: CaseKind | null = null;
  #id: number | null = null;
  #etag = '';
  #controller: AbortController | null = null;

  /**
   * Loads the case, its ledger and photos. A new case starts clean; the same
   * case (a reload after a live change or a retry) keeps what is shown until
   * the answers arrive.
   */
  load(kind: CaseKind, id: number): void {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    if (kind !== this.#kind || id !== this.#id) {
      this.current = null;
      this.events = [];
      this.revealed = null;
      this.photos = [];
      this.photosLoaded = false;
    }
    this.#kind = kind;
    this.#id = id;
    this.failure = null;
    this.photosFailed = false;
    const { signal } = controller;
    casesApi
      .item(kind, id, signal)
      .then((answer) => {
        this.current = answer.props;
        this.#etag = answer.etag;
      })
      .catch((error: unknown) => {
        if (!signal.aborted) this.failure = failureText(error);
      });
    void this.loadTimeline(signal);
    casePhotosApi
      .list(id, signal)
      .then((list) => {
        this.photos = list;
        this.photosLoaded = true;
      })
      .catch(() => {
        if (!signal.aborted) this.photosFailed = true;
      });
  }

  /** Cancels pending loads. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Reloads the ledger. */
  async loadTimeline(signal?: AbortSignal): Promise<void> {
    if (this.#kind === null || this.#id === null) return;
    try {
      this.events = (await casesApi.timeline(this.#kind, this.#id, signal)).events;
    } catch {
      // The details stay usable without the ledger.
    }
  }

  /**
   * Sends a workflow action with `If-Match`. On success, or when the server
   * answers 409/412 with the current state, the panel shows the case as the
   * server has it and `onchanged` gets it. Resolves how it went: `applied`,
   * `stale` (someone else changed the case first) or `failed`; failures show a toast.
   */
  async perform(action: CaseAction, body: Record<string, unknown>, onchanged: (feature: CaseFeature) => void): Promise<'applied' | 'stale' | 'failed'> {
    if (!this.current || this.#kind === null || this.#id === null) return 'failed';
    this.busy = true;
    try {
      const answer = await casesApi.act(this.#kind, this.#id, action, body, this.#etag);
      this.#show(answer.props, answer.etag, onchanged);
      toasts.show(i18n.t('case.updated', { action: labelOf('action', action) }), 'info');
      return 'applied';
    } catch (error) {
      if (!(error instanceof ApiError)) return 'failed';
      const latest = error.body.current as CaseProps | undefined;
      if ((error.status === 409 || error.status === 412) && latest) {
        this.#show(latest, `"${latest.version}"`, onchanged);
        toasts.show(`${error.message} ${i18n.t('case.stale')}`);
        return 'stale';
      }
      toasts.show(error.message);
      return 'failed';
    } finally {
      this.busy = false;
    }
  }

  /** Keeps the unmasked phones the reveal route returned. */
  addRevealed(answer: RevealedCasePhones): void {
    this.revealed = { ...this.revealed, ...answer };
  }

  /** Uploads photos (files over the size limit are refused with a toast), then reloads the ledger. */
  async addPhotos(files: File[]): Promise<void> {
    if (this.#id === null) return;
    const accepted = files.filter((file) => {
      if (file.size <= MAX_PHOTO_BYTES) return true;
      toasts.show(i18n.t('photos.tooLarge', { name: file.name }));
      return false;
    });
    if (accepted.length === 0) return;
    this.uploading = true;
    try {
      this.photos = await casePhotosApi.upload(this.#id, accepted);
      toasts.show(i18n.t('photos.uploaded', { count: accepted.length }), 'info');
      void this.loadTimeline();
    } catch (error) {
      toasts.show(failureText(error));
    } finally {
      this.uploading = false;
    }
  }

  #show(props: CaseProps, etag: string, onchanged: (feature: CaseFeature) => void): void {
    this.current = props;
    this.#etag = etag;
    onchanged(asFeature(props));
    void this.loadTimeline();
  }
}
