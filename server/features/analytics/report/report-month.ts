import { HttpError } from '../../../core/http/http-error.ts'

/** The township's clock: China Standard Time, UTC+8 all year (no daylight saving). */
const TOWNSHIP_OFFSET_MS = 8 * 3_600_000
const MONTH_PATTERN = /^(\d{4})-(\d{2})$/
/** Earliest month a report may be asked for (the statistical codes and the app are younger). */
const FIRST_YEAR = 2000

/** A report month: `[from, to)` in township time, cut at `now` for the month under way. */
export interface ReportMonth {
  /** "YYYY-MM". */
  month: string
  /** 1st of the month, 00:00 township time. */
  from: Date
  /** 1st of the next month 00:00 township time, or `now` while the month is under way (EXCLUSIVE). */
  to: Date
  /** False while the month is under way (the figures are as of `to`). */
  complete: boolean
}

/** 00:00 township time of the 1st of month `monthIndex` (0-based, may overflow into other years) of `year`. */
export function townshipMonthStart(year: number, monthIndex: number): Date {
  return new Date(Date.UTC(year, monthIndex, 1) - TOWNSHIP_OFFSET_MS)
}

/** "YYYY-MM" of the month `offset` months after `month`. */
export function shiftMonth(month: string, offset: number): string {
  const [year, monthNumber] = month.split('-').map(Number)
  const start = new Date(Date.UTC(year, monthNumber - 1 + offset, 1))
  return `${start.getUTCFullYear()}-${String(start.getUTCMonth() + 1).padStart(2, '0')}`
}

/**
 * The window of a report month "YYYY-MM" (township time). 400 `bad_report_month`
 * when malformed or before 2000, 400 `report_month_future` when it has not
 * begun at `now`; the month under way runs to `now`.
 */
export function parseReportMonth(text: string, now: Date): ReportMonth {
  const match = MONTH_PATTERN.exec(text)
  const year = Number(match?.[1])
  const monthNumber = Number(match?.[2])
  if (!match || monthNumber < 1 || monthNumber > 12 || year < FIRST_YEAR) throw new HttpError(400, 'bad_report_month', { month: text })
  const from = townshipMonthStart(year, monthNumber - 1)
  const end = townshipMonthStart(year, monthNumber)
  if (from.getTime() > now.getTime()) throw new HttpError(400, 'report_month_future', { month: text })
  const complete = end.getTime() <= now.getTime()
  return { month: text, from, to: complete ? end : now, complete }
}
