import { townshipClock } from '../../ui/time';

/** "YYYY-MM" of the township month `offset` months from the one holding `at`. */
export function townshipMonth(at: Date, offset = 0): string {
  const local = townshipClock(at);
  const start = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + offset, 1));
  return start.toISOString().slice(0, 7);
}

/** What the report page shows: a month and a village (null = the township). */
export interface ReportChoice {
  month: string;
  villageId: number | null;
}

const PREFIX = '#report';

/** The choice written in a hash `#report?month=YYYY-MM&village=ID`, or null when the hash is not the report's. */
export function parseReportHash(hash: string, now = new Date()): ReportChoice | null {
  if (hash !== PREFIX && !hash.startsWith(`${PREFIX}?`)) return null;
  const query = new URLSearchParams(hash.slice(PREFIX.length + 1));
  const village = Number(query.get('village'));
  // The review meeting (研判会) looks back on the month just ended: that is the default.
  return { month: query.get('month') ?? townshipMonth(now, -1), villageId: Number.isInteger(village) && village > 0 ? village : null };
}

/** The hash of a report choice. */
export function reportHash(choice: ReportChoice): string {
  const query = new URLSearchParams({ month: choice.month });
  if (choice.villageId !== null) query.set('village', String(choice.villageId));
  return `${PREFIX}?${query}`;
}

/**
 * Whether the printable monthly report is open, and for what: kept in the URL
 * hash (`#report?month=2026-11&village=3`) so that the page can be reloaded,
 * bookmarked or opened in a tab of its own. The report replaces the map
 * screen while open (nothing of the app's chrome is on the printed page).
 */
export class ReportRoute {
  choice = $state<ReportChoice | null>(typeof location === 'undefined' ? null : parseReportHash(location.hash));

  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.choice = parseReportHash(location.hash)));
  }

  /** Opens the report for `choice` (or changes what it shows). */
  show(choice: ReportChoice): void {
    this.choice = choice;
    history.replaceState(null, '', `${location.pathname}${location.search}${reportHash(choice)}`);
  }

  /** Leaves the report for the dashboard. */
  close(): void {
    this.choice = null;
    history.replaceState(null, '', `${location.pathname}${location.search}#dashboard`);
  }
}

/** The shared report route. */
export const reportRoute = new ReportRoute();
