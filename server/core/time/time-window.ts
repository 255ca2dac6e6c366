import { Type } from 'typebox'
import { HttpError } from '../http/http-error.ts'

/** A half-open time window [from, to): `from` inclusive (absent = no lower bound), `to` exclusive. */
export interface TimeWindow {
  from: Date | null
  to: Date
}

/** Query properties `from` and `to` with their documented semantics. */
export const WindowQuery = {
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'Start of the window, INCLUSIVE (reported_at >= from); absent = from the beginning' }),
  ),
  to: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'End of the window, EXCLUSIVE (reported_at < to); default now. Scores, open and overdue states are as of this instant',
    }),
  ),
}

/** The window of `from`/`to` query values (to defaults to `now`); 400 when from ≥ to. */
export function parseWindow(query: { from?: string; to?: string }, now = new Date(), names = { from: 'from', to: 'to' }): TimeWindow {
  const to = query.to ? new Date(query.to) : now
  const from = query.from ? new Date(query.from) : null
  if (from && from.getTime() >= to.getTime()) {
    throw new HttpError(400, 'bad_time_window', { from: from.toISOString(), to: to.toISOString(), fromName: names.from, toName: names.to })
  }
  return { from, to }
}

/** The window as ISO strings for answers. */
export function windowDto(window: TimeWindow): { from: string | null; to: string } {
  return { from: window.from?.toISOString() ?? null, to: window.to.toISOString() }
}
