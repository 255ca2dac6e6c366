import { api, onUnauthorized } from '../../api/client';
import type { AppMeta, User } from '../../api/types';
import { secondFactorApi, type SecondStep } from './second-factor-api';
import { i18n } from '../../i18n/i18n.svelte';

/** Where the session stands: still asking the server, signed out, or signed in. */
export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

/**
 * The browser session: who is signed in, and the data-set facts shown beside it.
 * A 401 from any API call while signed in returns to the login screen.
 */
export class Session {
  /** Current status; starts as `checking`. */
  status = $state<SessionStatus>('checking');
  /** The signed-in user, or `null`. */
  user = $state<User | null>(null);
  /** Facts about the loaded data set (sample flag, township name). */
  meta = $state<AppMeta | null>(null);
  /** True when the last session ended because the server answered 401. */
  expired = $state(false);
  /** After a correct password: the code (or, for an administrator, enrolment) step still to do. */
  secondStep = $state<SecondStep | null>(null);

  constructor() {
    onUnauthorized(() => this.#expire());
  }

  /** Asks the server who is signed in. */
  async check(): Promise<void> {
    void this.loadMeta();
    try {
      this.#signIn(await api.me());
    } catch {
      this.user = null;
      this.status = 'signed-out';
    }
  }

  /**
   * Signs in with the password. Resolves to `null` when signed in or when a
   * second step is needed (then {@link secondStep} is set), or to the server's
   * message on failure (a 429 message says how long to wait).
   */
  async login(username: string, password: string): Promise<string | null> {
    try {
      const answer = await secondFactorApi.login(username, password);
      if ('secondFactor' in answer) {
        this.secondStep = answer;
        return null;
      }
      this.completeSignIn(answer.user);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : i18n.t('error.network');
    }
  }

  /** Finishes a sign-in whose second step succeeded. */
  completeSignIn(user: User): void {
    this.secondStep = null;
    this.#signIn(user);
    void this.loadMeta();
  }

  /** Abandons the second step and returns to the password form. */
  cancelSecondStep(): void {
    this.secondStep = null;
  }

  /** Signs out and returns to the login screen, even if the server is unreachable. */
  async logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.user = null;
      this.expired = false;
      this.status = 'signed-out';
    }
  }

  /** Loads `GET /api/meta`; failures leave the previous value. */
  async loadMeta(): Promise<void> {
    try {
      this.meta = await api.meta();
    } catch {
      // The badge simply stays hidden until the server answers.
    }
  }

  #signIn(user: User): void {
    this.expired = false;
    this.user = user;
    this.status = 'signed-in';
  }

  #expire(): void {
    if (this.status !== 'signed-in') return;
    this.user = null;
    this.status = 'signed-out';
    this.expired = true;
  }
}

/** The application's single session. */
export const session = new Session();
