import type { Rng } from './activity-rng.ts'
import type { CumulativeSampler } from './cumulative-sampler.ts'

/** The township's clock: China Standard Time, UTC+8 all year. */
export const TOWNSHIP_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** A local calendar day of the window. */
export interface WindowDay {
  /** UTC milliseconds of the day's local midnight. */
  start: number
  /** Local month, 1–12. */
  month: number
  /** Local weekday, 0 = Sunday. */
  weekday: number
  /** Position in the window, 0 = first day; with `count`, gives the day's share of the year. */
  index: number
}

/** The twelve months of activity before `to`, as local days. */
export interface ActivityWindow {
  from: Date
  to: Date
  days: WindowDay[]
}

/**
 * The 365 days before `asOf`, starting no earlier than `earliest` (the first
 * boundary version in force, so that every event has a grid to be located in).
 */
export function activityWindow(asOf: Date, earliest: Date): ActivityWindow {
  const to = asOf.getTime()
  const from = Math.max(to - 365 * DAY_MS, earliest.getTime())
  if (from >= to - DAY_MS) throw new Error(`sample activity: asOf ${asOf.toISOString()} leaves no time after ${earliest.toISOString()}`)
  const firstLocalMidnight = Math.floor((from + TOWNSHIP_OFFSET_MS) / DAY_MS) * DAY_MS - TOWNSHIP_OFFSET_MS
  const days: WindowDay[] = []
  for (let start = firstLocalMidnight; start < to; start += DAY_MS) {
    const local = new Date(start + TOWNSHIP_OFFSET_MS)
    days.push({ start, month: local.getUTCMonth() + 1, weekday: local.getUTCDay(), index: days.length })
  }
  return { from: new Date(from), to: asOf, days }
}

/** Local month (1–12) of an instant. */
export function localMonth(at: Date | number): number {
  return new Date(+at + TOWNSHIP_OFFSET_MS).getUTCMonth() + 1
}

/**
 * An instant on a day drawn by `daySampler` (over `window.days`): mostly in
 * office hours (08:00–19:00 local), inside the window and at least `marginMs`
 * before its end.
 */
export function sampleInstant(rng: Rng, window: ActivityWindow, daySampler: CumulativeSampler, marginMs = 2 * HOUR_MS): Date {
  const latest = window.to.getTime() - marginMs
  for (let attempt = 0; attempt < 20; attempt++) {
    const day = window.days[daySampler.draw(rng)]
    const hour = rng() < 0.85 ? 8 + rng() * 11 : rng() * 24
    const at = Math.round(day.start + hour * HOUR_MS)
    if (at >= window.from.getTime() && at <= latest) return new Date(Math.floor(at / 1000) * 1000)
  }
  return new Date(Math.floor((window.from.getTime() + rng() * (latest - window.from.getTime())) / 1000) * 1000)
}
