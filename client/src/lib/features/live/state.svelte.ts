import type { LiveCaseEvent } from '../cases/types';

const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

/**
 * The live case feed (`GET /api/events/stream`, Server-Sent Events with the
 * session cookie, filtered by the server to what the user may read). Key-person
 * events (`key_person` with an id for identity roles, `key_person_count` with
 * only the grid for the others) are reported through `onperson`. On error it closes the stream and reconnects itself with a
 * growing delay (1 s to 15 s); after a reconnect it reports `onresync`, since
 * events may have been missed meanwhile.
 */
export class LiveFeed {
  /** Whether the stream is open. */
  connected = $state(false);

  #source: EventSource | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #delay = FIRST_RETRY_MS;
  #hadError = false;
  #onevent: ((event: LiveCaseEvent) => void) | null = null;
  #onresync: (() => void) | null = null;
  #onperson: (() => void) | null = null;

  /** Opens the stream; `onevent` gets each case event, `onresync` each reconnection, `onperson` each key-person change. */
  start(onevent: (event: LiveCaseEvent) => void, onresync: () => void, onperson?: () => void): void {
    this.stop();
    this.#onevent = onevent;
    this.#onresync = onresync;
    this.#onperson = onperson ?? null;
    this.#connect();
  }

  /** Closes the stream and stops reconnecting. */
  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#source?.close();
    this.#source = null;
    this.#onevent = null;
    this.#onresync = null;
    this.#onperson = null;
    this.connected = false;
  }

  #connect(): void {
    const source = new EventSource('/api/events/stream', { withCredentials: true });
    this.#source = source;
    source.onopen = () => {
      this.connected = true;
      this.#delay = FIRST_RETRY_MS;
      if (this.#hadError) this.#onresync?.();
      this.#hadError = false;
    };
    source.addEventListener('case', (message) => {
      try {
        this.#onevent?.(JSON.parse((message as MessageEvent<string>).data) as LiveCaseEvent);
      } catch {
        // A malformed event is skipped; the next one or a resync repairs the view.
      }
    });
    source.addEventListener('key_person', () => this.#onperson?.());
    source.addEventListener('key_person_count', () => this.#onperson?.());
    source.onerror = () => {
      if (this.#source !== source) return;
      source.close();
      this.connected = false;
      this.#hadError = true;
      this.#timer = setTimeout(() => {
        if (this.#source === source) this.#connect();
      }, this.#delay);
      this.#delay = Math.min(this.#delay * 2, MAX_RETRY_MS);
    };
  }
}
