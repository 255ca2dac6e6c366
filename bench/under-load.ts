import { summarise, timeCall, type Timing } from './stats.ts'

/** Figures of {@link timeQuietAndLoaded}. */
export interface UnderLoadTiming {
  quiet: Timing
  loaded: Timing
  /** Background requests finished while the loaded samples were taken, and how many failed. */
  background: { done: number; failed: number; ratePerSecond: number }
}

/** Background requests in flight at most: past it the generator skips a beat instead of piling up. */
export const MAX_IN_FLIGHT = 16

/**
 * Times `measure` alone and while other requests arrive at a steady
 * `ratePerSecond` (open loop, round robin over `background`, as independent
 * users would send them), in alternating blocks — quiet, loaded, quiet,
 * loaded… — so that whatever else the machine does weighs on both alike.
 */
export async function timeQuietAndLoaded(
  measure: () => Promise<unknown>,
  background: ReadonlyArray<() => Promise<unknown>>,
  options: { turns: number; blocks: number; ratePerSecond: number; warmup: number },
): Promise<UnderLoadTiming> {
  for (let i = 0; i < options.warmup; i += 1) await measure()
  const quiet: number[] = []
  const loaded: number[] = []
  const perBlock = Math.max(1, Math.ceil(options.turns / options.blocks))
  let done = 0
  let failed = 0
  const timeBlock = async (into: number[]) => {
    for (let i = 0; i < perBlock; i += 1) into.push(await timeCall(measure))
  }
  for (let block = 0; block < options.blocks; block += 1) {
    await timeBlock(quiet)
    const inFlight = new Set<Promise<unknown>>()
    let next = 0
    const timer = setInterval(() => {
      if (inFlight.size >= MAX_IN_FLIGHT) return
      const request = background[next++ % background.length]()
        .then(() => (done += 1))
        .catch(() => (failed += 1))
        .finally(() => inFlight.delete(request))
      inFlight.add(request)
    }, 1000 / options.ratePerSecond)
    try {
      await timeBlock(loaded)
    } finally {
      clearInterval(timer)
      await Promise.allSettled([...inFlight])
    }
  }
  return { quiet: summarise(quiet), loaded: summarise(loaded), background: { done, failed, ratePerSecond: options.ratePerSecond } }
}
