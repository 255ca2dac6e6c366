import { api, ApiError, onUnauthorized, type SignedIn } from '../../api/client';
import type { AppMeta, User } from '../../api/types';
import { NO_CAPABILITIES, type Capabilities } from './capabilities';
import { secondFactorApi, type Enrolment, type SecondStep } from './second-factor-api';
import { i18n } from '../../i18n/i18n.svelte';

/** Where the session stands: still asking the server, signed out, or signed in. */
export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

/**
 * The browser session: who is signed in, what the server lets them do, and the
 * data-set facts shown beside it. A 401 from any API call while signed in
 * returns to the login screen.
 */
export class Session {
  /** Current status; starts as `checking`. */
  status = $state<SessionStatus>('checking');
  /** The signed-in user, or `null`. */
  user = $state<User | null>(null);
  /**
   * What the signed-in user may do, as the server computed it from its routes'
   * access declarations (issue 10); all false when signed out. The UI offers
   * tabs, buttons and panels by these, never by role lists of its own.
   */
  capabilities = $state.raw<Capabilities>(NO_CAPABILITIES);
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
      this.#signOut();
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
      this.completeSignIn(answer);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : i18n.t('error.network');
    }
  }

  /** Finishes a sign-in whose second step succeeded, with the server's answer (user and capabilities). */
  completeSignIn(answer: SignedIn): void {
    this.secondStep = null;
    this.#signIn(answer);
    void this.loadMeta();
  }

  /**
   * Answers the second step with an authenticator or recovery code: signs in,
   * or resolves the server's message (an expired challenge also returns to
   * the password form, since it cannot be retried).
   */
  async verifySecondFactor(code: string): Promise<string | null> {
    const challenge = this.secondStep?.challenge;
    if (!challenge) return null;
    try {
      this.completeSignIn(await secondFactorApi.verify(challenge, code));
      return null;
    } catch (cause) {
      return this.#secondStepFailure(cause);
    }
  }

  /** Starts the enrolment an administrator must make at sign-in: the secret to scan. Rejects with the message. */
  async beginSignInEnrolment(): Promise<Enrolment> {
    const challenge = this.secondStep?.challenge ?? '';
    try {
      return await secondFactorApi.beginLoginEnrolment(challenge);
    } catch (cause) {
      throw new Error(this.#secondStepFailure(cause));
    }
  }

  /** Confirms that enrolment with a first code: the sign-in answer with the recovery codes, or the message. */
  async confirmSignInEnrolment(code: string): Promise<(SignedIn & { recoveryCodes: string[] }) | string> {
    const challenge = this.secondStep?.challenge ?? '';
    try {
      return await secondFactorApi.confirmLoginEnrolment(challenge, code);
    } catch (cause) {
      return this.#secondStepFailure(cause);
    }
  }

  #secondStepFailure(cause: unknown): string {
    if (cause instanceof ApiError && cause.code === 'login_challenge_invalid') this.cancelSecondStep();
    return cause instanceof ApiError ? cause.message : i18n.t('error.network');
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
      this.#signOut();
      this.expired = false;
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

  #signIn({ user, capabilities }: SignedIn): void {
    this.expired = false;
    this.user = user;
    this.capabilities = capabilities;
    this.status = 'signed-in';
  }

  #signOut(): void {
    this.user = null;
    this.capabilities = NO_CAPABILITIES;
    this.status = 'signed-out';
  }

  #expire(): void {
    if (this.status !== 'signed-in') return;
    this.#signOut();
    this.expired = true;
  }
}

/** The application's single session. */
export const session = new Session();
