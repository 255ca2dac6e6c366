import { ApiError, api } from '../../api/client';
import type { AreaDetail } from '../../api/types';
import { normaliseLevel } from '../../map/area-collections';
import { i18n } from '../../i18n/i18n.svelte';

/**
 * One area's details for the area panel (`GET /api/areas/{id}`): the detail,
 * or why it could not be loaded. `load` drops the previous area.
 */
export class AreaDetails {
  /** The loaded detail; `null` while loading or after a failure. */
  detail = $state<AreaDetail | null>(null);
  /** Why the area could not be loaded, or `null`. */
  failure = $state<string | null>(null);

  #controller: AbortController | null = null;

  /** Loads an area (again, for a retry). */
  load(id: number): void {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    this.detail = null;
    this.failure = null;
    api
      .area(id, controller.signal)
      .then((body) => {
        this.detail = { ...body, level: normaliseLevel(String(body.level)) };
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        this.failure = error instanceof ApiError ? error.message : i18n.t('error.network');
      });
  }

  /** Cancels a pending load. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }
}
