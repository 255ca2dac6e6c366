import { ApiError } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';
import type { KeyPerson, RevealField, Visit, VisitKind } from '../cases/types';
import { keyPersonsApi } from './api';

/**
 * One key person's details for the person panel: the masked record, its
 * visits, the fields revealed so far, and a failure message. `load` fetches a
 * person (dropping the previous one); `reveal` and `recordVisit` update it.
 */
export class PersonDetails {
  /** The masked record; `null` while loading or after a failure. */
  person = $state<KeyPerson | null>(null);
  /** Visits, newest first. */
  visits = $state<Visit[]>([]);
  /** Why the person could not be loaded, or `null`. */
  failure = $state<string | null>(null);
  /** Unmasked values by field (`null`: empty on the server). */
  revealed = $state<Partial<Record<RevealField, string | null>>>({});

  #id: number | null = null;
  #controller: AbortController | null = null;

  /** Loads a person and their visits. */
  load(id: number): void {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    this.#id = id;
    this.person = null;
    this.failure = null;
    this.revealed = {};
    keyPersonsApi
      .person(id, controller.signal)
      .then((answer) => (this.person = answer))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.failure = error instanceof ApiError ? error.message : i18n.t('error.network');
      });
    keyPersonsApi
      .visits(id, controller.signal)
      .then((answer) => (this.visits = answer))
      .catch(() => (this.visits = []));
  }

  /** Cancels pending loads. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Reveals one masked field with a reason (audited); rejects with an `ApiError`. */
  async reveal(field: RevealField, reason: string): Promise<void> {
    if (this.#id === null) return;
    const answer = await keyPersonsApi.reveal(this.#id, [field], reason);
    this.revealed = { ...this.revealed, ...answer.fields };
  }

  /** Records a visit; rejects with an `ApiError`. */
  async recordVisit(kind: VisitKind, note: string): Promise<void> {
    if (this.#id === null) return;
    const answer = await keyPersonsApi.recordVisit(this.#id, kind, note);
    this.person = answer.person;
    this.visits = [answer.visit, ...this.visits];
  }
}
