import { request } from '../../api/client';
import { TOWNSHIP_OFFSET } from '../../ui/time';

/** One audit entry as `GET /api/audit` answers it. */
export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  username: string;
  role: string;
  action: string;
  subjectKind: string;
  subjectIds: Array<number | string>;
  fields: string[];
  reason: string | null;
  requestIp: string | null;
  detail: unknown;
}

/** Actions an audit entry can record (the server's `AUDIT_ACTIONS`). */
export const AUDIT_ACTIONS = ['read', 'list', 'reveal', 'denied', 'create', 'update', 'visit', 'archive', 'settings'] as const;

/** Filters of the audit log, as typed in the form (empty = any). */
export interface AuditFilters {
  username: string;
  action: string;
  subjectKind: string;
  /** `YYYY-MM-DD`, township time. */
  from: string;
  to: string;
}

const EMPTY_FILTERS: AuditFilters = { username: '', action: '', subjectKind: '', from: '', to: '' };

/** Entries per page. */
export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log the signed-in administrator may read (the server decides which
 * entries: 三员分立), page by page with filters. Errors are kept for the view.
 */
export class AuditLogState {
  filters = $state<AuditFilters>({ ...EMPTY_FILTERS });
  entries = $state<AuditEntry[]>([]);
  total = $state(0);
  offset = $state(0);
  loading = $state(false);
  error = $state<string | null>(null);

  /** Loads the page at `offset` with the current filters. */
  async load(offset = 0): Promise<void> {
    this.loading = true;
    this.error = null;
    try {
      const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE), offset: String(offset) });
      const { username, action, subjectKind, from, to } = this.filters;
      if (username.trim()) query.set('username', username.trim());
      if (action) query.set('action', action);
      if (subjectKind.trim()) query.set('subjectKind', subjectKind.trim());
      // Township days run in UTC+8.
      if (from) query.set('from', `${from}T00:00:00${TOWNSHIP_OFFSET}`);
      if (to) query.set('to', `${to}T23:59:59.999${TOWNSHIP_OFFSET}`);
      const page = await request<{ entries: AuditEntry[]; total: number; offset: number }>(`/api/audit?${query}`, { handled: [400] });
      this.entries = page.entries;
      this.total = page.total;
      this.offset = page.offset;
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.loading = false;
    }
  }

  /** Clears the filters and reloads the first page. */
  async reset(): Promise<void> {
    this.filters = { ...EMPTY_FILTERS };
    await this.load(0);
  }
}
