import { session } from './session.svelte';
import { accountApi, type IssuedToken, type SessionInfo, type TokenInfo, type UserStatus } from './api';
import { secondFactorApi, type Enrolment, type SecondFactorStatus } from './second-factor-api';

/*
 * State of the account panel's sections: each loads its list from the API and
 * reloads it after a change. Failures of the changes have already been shown
 * by the API client (a toast with the server's message); the methods reject
 * so that a section can keep its form open.
 */

/** The signed-in user's live sessions (会话). */
export class SessionList {
  /** Sessions, `null` until loaded (empty after a failed load). */
  items = $state.raw<SessionInfo[] | null>(null);
  /** The session being revoked, or `null`. */
  busyId = $state<number | null>(null);

  /** Loads the sessions. */
  async load(): Promise<void> {
    try {
      this.items = await accountApi.sessions();
    } catch {
      this.items = [];
    }
  }

  /** Revokes a session; revoking the current one signs out at once. */
  async revoke(item: SessionInfo): Promise<void> {
    this.busyId = item.id;
    try {
      await accountApi.revokeSession(item.id);
      if (item.current) {
        await session.logout();
        return;
      }
      await this.load();
    } catch {
      // The API client has shown the server's message.
    } finally {
      this.busyId = null;
    }
  }
}

/** The signed-in user's API tokens (接口令牌). */
export class TokenList {
  /** Tokens, `null` until loaded (empty after a failed load). */
  items = $state.raw<TokenInfo[] | null>(null);
  /** The token being revoked, or `null`. */
  busyId = $state<number | null>(null);
  /** True while a token is being issued. */
  creating = $state(false);
  /** The token just issued (shown once), or `null`. */
  issued = $state.raw<IssuedToken | null>(null);

  /** Loads the tokens. */
  async load(): Promise<void> {
    try {
      this.items = await accountApi.tokens();
    } catch {
      this.items = [];
    }
  }

  /** Revokes a token. */
  async revoke(item: TokenInfo): Promise<void> {
    this.busyId = item.id;
    try {
      await accountApi.revokeToken(item.id);
      await this.load();
    } catch {
      // The API client has shown the server's message.
    } finally {
      this.busyId = null;
    }
  }

  /** Issues a token valid for `days`; resolves whether it was issued (see {@link issued}). */
  async create(name: string, days: number): Promise<boolean> {
    this.creating = true;
    try {
      this.issued = await accountApi.createToken(name, days);
      await this.load();
      return true;
    } catch {
      return false;
    } finally {
      this.creating = false;
    }
  }
}

/** The users of the township, for the administrator (用户管理). */
export class UserAdmin {
  /** Users, `null` until loaded (empty after a failed load). */
  items = $state.raw<UserStatus[] | null>(null);
  /** The user being changed, or `null`. */
  busyId = $state<number | null>(null);

  /** Loads the users. */
  async load(): Promise<void> {
    try {
      this.items = await accountApi.users();
    } catch {
      this.items = [];
    }
  }

  /** Runs one change of `user` and reloads; resolves whether it succeeded. */
  async #change(user: UserStatus, work: () => Promise<unknown>): Promise<boolean> {
    this.busyId = user.id;
    try {
      await work();
      await this.load();
      return true;
    } catch {
      return false;
    } finally {
      this.busyId = null;
    }
  }

  /** Disables or enables an account. */
  setDisabled(user: UserStatus, disabled: boolean): Promise<boolean> {
    return this.#change(user, () => accountApi.changeUser(user.id, { disabled }));
  }

  /** Changes a user's role. */
  setRole(user: UserStatus, role: UserStatus['role']): Promise<boolean> {
    return this.#change(user, () => accountApi.changeUser(user.id, { role }));
  }

  /** Ends all of a user's sessions and tokens; resolves what ended, or `null` on failure. */
  async revokeAll(user: UserStatus): Promise<Awaited<ReturnType<typeof accountApi.revokeAll>> | null> {
    let ended: Awaited<ReturnType<typeof accountApi.revokeAll>> | null = null;
    const ok = await this.#change(user, async () => (ended = await accountApi.revokeAll(user.id)));
    return ok ? ended : null;
  }

  /** Sets a new password (ends the user's sessions); resolves what ended, or `null` on failure. */
  async resetPassword(user: UserStatus, password: string): Promise<Awaited<ReturnType<typeof accountApi.resetPassword>> | null> {
    let ended: Awaited<ReturnType<typeof accountApi.resetPassword>> | null = null;
    const ok = await this.#change(user, async () => (ended = await accountApi.resetPassword(user.id, password)));
    return ok ? ended : null;
  }
}

/** The signed-in user's second factor (两步验证): status, enrolment, recovery codes. */
export class SecondFactorSettings {
  /** The status, `null` until loaded. */
  status = $state.raw<SecondFactorStatus | null>(null);
  /** An enrolment in progress (secret and QR code), or `null`. */
  enrolment = $state.raw<Enrolment | null>(null);
  /** Recovery codes just issued (shown once), or `null`. */
  codes = $state.raw<string[] | null>(null);

  /** Loads the status. */
  async load(): Promise<void> {
    this.status = await secondFactorApi.status();
  }

  /** Starts enrolment: a new secret to scan. */
  async startEnrolment(): Promise<void> {
    this.enrolment = await secondFactorApi.enrol();
  }

  /** Confirms enrolment with a first code; receives the recovery codes. Rejects with an `ApiError`. */
  async confirm(code: string): Promise<void> {
    this.codes = (await secondFactorApi.confirm(code)).recoveryCodes;
    this.enrolment = null;
    await this.load();
  }

  /** Issues new recovery codes (a current code proves the factor). Rejects with an `ApiError`. */
  async regenerate(code: string): Promise<void> {
    this.codes = (await secondFactorApi.regenerate(code)).recoveryCodes;
    await this.load();
  }

  /** Turns the second factor off (a current code proves it). Rejects with an `ApiError`. */
  async disable(code: string): Promise<void> {
    await secondFactorApi.disable(code);
    await this.load();
  }

  /** Drops an unfinished enrolment. */
  cancelEnrolment(): void {
    this.enrolment = null;
  }
}
