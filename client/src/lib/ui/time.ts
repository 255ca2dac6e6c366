/**
 * The township's clock, defined once. The township keeps China Standard Time
 * (UTC+8, no daylight saving); every date shown or sent as a whole local day
 * goes through these helpers.
 */

/** IANA zone of the township, for `Intl.DateTimeFormat`. */
export const TOWNSHIP_TIME_ZONE = 'Asia/Shanghai';
/** Offset suffix of a township-local ISO timestamp. */
export const TOWNSHIP_OFFSET = '+08:00';
/** Offset of the township's clock from UTC, in milliseconds. */
export const TOWNSHIP_OFFSET_MS = 8 * 3_600_000;
/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** `en-CA` formats dates as YYYY-MM-DD. */
const TOWNSHIP_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: TOWNSHIP_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
const TOWNSHIP_DATETIME = new Intl.DateTimeFormat('en-CA', {
  timeZone: TOWNSHIP_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A Date whose UTC fields (`getUTCDate()`…) read the township's wall clock at `at`. */
export function townshipClock(at: Date | number): Date {
  return new Date((typeof at === 'number' ? at : at.getTime()) + TOWNSHIP_OFFSET_MS);
}

/** `YYYY-MM-DD` of an instant on the township's clock. */
export function townshipDay(at: Date = new Date()): string {
  return townshipClock(at).toISOString().slice(0, 10);
}

/** Midnight (township time) starting a `YYYY-MM-DD` day. */
export function townshipMidnight(date: string): Date {
  return new Date(`${date}T00:00:00${TOWNSHIP_OFFSET}`);
}

/** Start of the township calendar month containing `at`, shifted by `months`. */
export function townshipMonthStart(at: Date, months = 0): Date {
  const local = townshipClock(at);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + months, 1) - TOWNSHIP_OFFSET_MS);
}

/** An ISO timestamp as a calendar date (YYYY-MM-DD) on the township's clock; the input when unparsable. */
export function townshipDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TOWNSHIP_DATE.format(date);
}

/** An ISO timestamp as "YYYY-MM-DD HH:mm" on the township's clock; the input when unparsable. */
export function townshipTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : TOWNSHIP_DATETIME.format(date).replace(',', '');
}
