import { DAY_MS, townshipClock, townshipDay, townshipMidnight } from '../../ui/time';

/** Period presets of the dashboard. */
export type DashboardPeriod = 'week' | 'month' | 'last30' | 'year' | 'custom';

/** The presets in display order. */
export const PERIODS: readonly DashboardPeriod[] = ['week', 'month', 'last30', 'year', 'custom'];

/** Monday 00:00 township time of the week holding `at`. */
export function cstWeekStart(at: Date): Date {
  const local = townshipClock(at);
  const weekday = (local.getUTCDay() + 6) % 7;
  return townshipMidnight(townshipDay(new Date(at.getTime() - weekday * DAY_MS)));
}

/**
 * The `[from, to)` window of a preset at `now`: this week from Monday 00:00,
 * this month from the 1st, the last 30 days, this year from 1 January (all
 * township time, up to now); custom runs from the first day's midnight to the
 * midnight after the last day (both days included, `to` capped at now).
 */
export function periodWindow(period: DashboardPeriod, now: Date, custom: { from: string; to: string }): { from: Date; to: Date } {
  const today = townshipDay(now);
  if (period === 'week') return { from: cstWeekStart(now), to: now };
  if (period === 'month') return { from: townshipMidnight(`${today.slice(0, 7)}-01`), to: now };
  if (period === 'year') return { from: townshipMidnight(`${today.slice(0, 4)}-01-01`), to: now };
  if (period === 'last30') return { from: new Date(now.getTime() - 30 * DAY_MS), to: now };
  const end = new Date(townshipMidnight(custom.to).getTime() + DAY_MS);
  return { from: townshipMidnight(custom.from), to: end.getTime() > now.getTime() ? now : end };
}

/** The natural trend step of a window: daily up to about two months, weekly up to a year and a half, else monthly. */
export function naturalStep(from: Date, to: Date): 'day' | 'week' | 'month' {
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  return days <= 62 ? 'day' : days <= 550 ? 'week' : 'month';
}
