/** Percentile summary of timings in milliseconds. */
export interface Timing {
  p50: number
  p95: number
  mean: number
  n: number
}

/** The `q` quantile (0–1) of ascending `sorted` values, by the nearest rank below; 0 for none. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
}

/** Summarises a list of millisecond timings. */
export function summarise(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b)
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), mean: sorted.reduce((s, v) => s + v, 0) / sorted.length, n: sorted.length }
}

/**
 * What a timed function may answer when it timed itself: an HTTP request
 * sent from the client's own thread (see keptAliveGet) is timed there, from
 * sending to the last byte, without the hand-over between threads (~0.4 ms
 * there and back) that belongs to the benchmark, not to the request.
 */
export interface SelfTimed {
  selfTimedMs: number
}

/** How long `fn` took: its own figure when it answers {@link SelfTimed}, the time around the call otherwise. */
export async function timeCall(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  const answer = await fn()
  const elapsedMs = performance.now() - start
  return typeof answer === 'object' && answer !== null && typeof (answer as Partial<SelfTimed>).selfTimedMs === 'number' ? (answer as SelfTimed).selfTimedMs : elapsedMs
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed, one after another. */
export async function timeRuns(fn: () => Promise<unknown>, runs: number, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await fn()
  const samples: number[] = []
  for (let i = 0; i < runs; i += 1) samples.push(await timeCall(fn))
  return samples
}

/** Formats a number of milliseconds. */
export function ms(value: number): string {
  return `${value.toFixed(2)} ms`
}

/**
 * Times several functions in turns (a, b, a, b, …) after `warmup` untimed
 * turns, so that background work (autovacuum, GC, other processes) weighs on
 * each the same; returns the samples of each, in order.
 */
export async function timeInterleaved(fns: ReadonlyArray<() => Promise<unknown>>, runs: number, warmup = 20): Promise<number[][]> {
  for (let i = 0; i < warmup; i += 1) for (const fn of fns) await fn()
  const samples = fns.map(() => [] as number[])
  for (let i = 0; i < runs; i += 1) {
    for (const [index, fn] of fns.entries()) samples[index].push(await timeCall(fn))
  }
  return samples
}
