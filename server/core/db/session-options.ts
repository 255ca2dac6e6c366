/**
 * Settings of every connection the server opens to PostgreSQL (primary and
 * replica), as the `options` startup parameter:
 * - `jit=off`: JIT compilation costs ~30 ms per statement and our statements
 *   are short (measured on 100k cases: a bbox page went from ~240 ms to
 *   ~60 ms without it).
 * - `max_parallel_workers_per_gather=0`: a statement runs in its own backend
 *   only. The server answers many users at once on few cores, where parallel
 *   workers take cores from the other requests: on the 1M benchmark database
 *   (2 cores) the planner chose parallel plans for the busiest z14 tile
 *   (84–96 ms against 46 ms alone) and for 250 m hexbins, whose p95 then rose
 *   4.2× while other map requests ran (1.8× without workers). Parallel
 *   queries stay available to maintenance and reports run outside the server.
 */
export const SERVER_SESSION_OPTIONS = '-c jit=off -c max_parallel_workers_per_gather=0'
