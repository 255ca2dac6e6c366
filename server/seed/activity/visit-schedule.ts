import type { VisitKind } from '../../core/db/tables/key-person.ts'
import type { Rng } from './activity-rng.ts'
import { between, pick } from './random-draw.ts'

const DAY_MS = 86_400_000

/** Share of visits that are missed and made late. */
export const MISSED_SHARE = 0.1
/** Share of persons whose visits have lapsed lately (overdue now). */
const LAPSED_SHARE = 0.05

const NOTES: Record<VisitKind, readonly string[]> = {
  home: ['入户走访，身体状况良好', '入户走访，了解生活情况，无异常', '走访了解到近期情绪稳定', '入户核实居住情况，宣传政策'],
  phone: ['电话联系，本人在外务工，情况正常', '电话回访，近况稳定', '与监护人电话联系，了解近况'],
  other: ['在村委会见面谈话', '在田间地头见面了解情况'],
}

/** A planned visit. */
export interface PlannedVisit {
  at: Date
  kind: VisitKind
  note: string
}

/**
 * The visits to a person from `start` to `end` every `intervalDays`: usually
 * a little before the due date, about one in ten missed and made late; for
 * one in twenty the visits stop some time before `asOf`, so they are overdue
 * now. While away (from `awayFrom`), contact is by phone.
 */
export function scheduleVisits(
  rng: Rng,
  options: { start: Date; end: Date; asOf: Date; intervalDays: number; awayFrom: Date | null },
): PlannedVisit[] {
  const interval = options.intervalDays * DAY_MS
  const lapsed = rng() < LAPSED_SHARE
  const stop = lapsed ? options.asOf.getTime() - interval - between(rng, 1, Math.max(2, options.intervalDays / 2)) * DAY_MS : options.end.getTime()
  const visits: PlannedVisit[] = []
  let at = options.start.getTime() + between(rng, 0.05, 2) * DAY_MS
  while (at <= Math.min(stop, options.end.getTime(), options.asOf.getTime())) {
    const away = options.awayFrom !== null && at >= options.awayFrom.getTime()
    const kind: VisitKind = away ? 'phone' : rng() < 0.8 ? 'home' : rng() < 0.75 ? 'phone' : 'other'
    visits.push({ at: new Date(Math.floor(at / 1000) * 1000), kind, note: pick(rng, NOTES[kind]) })
    const due = at + interval
    at = rng() < MISSED_SHARE ? due + between(rng, 1, Math.max(2, options.intervalDays * 0.4)) * DAY_MS : due - between(rng, 0, 0.3) * interval
  }
  return visits
}
