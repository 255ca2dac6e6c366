/** The township's clock: China Standard Time, UTC+8 all year (no daylight saving). */
const TOWNSHIP_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000

/**
 * Start of "this week" for a window ending (exclusive) at `to`: Monday 00:00
 * township time (UTC+8) of the week holding the last instant before `to`.
 * So a window ending Monday 00:00 counts the whole week just ended, and one
 * ending Wednesday 10:00 counts Monday 00:00 to Wednesday 10:00.
 */
export function weekStartBefore(to: Date): Date {
  const local = to.getTime() - 1 + TOWNSHIP_OFFSET_MS
  const localMidnight = Math.floor(local / DAY_MS) * DAY_MS
  const weekday = (new Date(localMidnight).getUTCDay() + 6) % 7
  return new Date(localMidnight - weekday * DAY_MS - TOWNSHIP_OFFSET_MS)
}
