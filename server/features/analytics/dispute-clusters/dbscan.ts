/**
 * DBSCAN over points in a metric CRS, giving exactly the clusters of PostGIS
 * `ST_ClusterDBSCAN(geom, eps, minpoints) OVER (ORDER BY id)` for the same
 * points in the same order (PostGIS 3.3–3.6, `union_dbscan_general` in
 * liblwgeom/lwgeom_geos_cluster.c, minpoints ≥ 2):
 *
 * - a point is a core point when at least `minPoints` points (itself
 *   included) lie within `eps` of it (distance ≤ eps);
 * - core points within eps of each other are in one cluster;
 * - a non-core point within eps of a core point is a border point: PostGIS
 *   walks the points in input order and each core point claims the unclaimed
 *   points around it, so a border point near two clusters goes to the cluster
 *   of its first core neighbour in input order (here: the lowest index);
 * - the rest is noise; and, as PostGIS does, with no more than `minPoints`
 *   points in all there are no clusters.
 *
 * Why not ST_ClusterDBSCAN itself: it compares every point with every other
 * point within eps (through an STRtree), so at county scale (a hundred
 * thousand disputes in 90 days, hundreds of neighbours each within 300 m) it
 * takes seconds. This is the grid algorithm of Gunawan (2013): cells of side
 * eps/√2, so that any two points of one cell are within eps; a cell holding
 * `minPoints` points is all core without measuring a distance, two cells
 * are joined by the first pair of core points found within eps, and only
 * points of sparse cells count their neighbours one by one.
 *
 * Distances are `Math.sqrt(dx * dx + dy * dy) <= eps`, the expression PostGIS
 * evaluates for two points, on the same coordinates (read from the database
 * as it computed them), so the same pairs are neighbours.
 *
 * @param x - eastings in metres, in input order
 * @param y - northings in metres, in input order
 * @returns a cluster label per point (any integers; equal labels = one cluster), -1 for noise
 */
export function dbscan(x: Float64Array, y: Float64Array, eps: number, minPoints: number): Int32Array {
  const n = x.length
  const labels = new Int32Array(n).fill(-1)
  if (n === 0 || n < minPoints) return labels

  // A shade under eps/√2, so that rounding can never put two points of one cell more than eps apart.
  const side = (eps / Math.SQRT2) * (1 - 1e-9)
  let minX = Infinity
  let minY = Infinity
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i]
    if (y[i] < minY) minY = y[i]
  }
  // Cells keyed by column * stride + row (rows offset by 2 so that the keys of neighbours stay unique).
  const cellX = new Int32Array(n)
  const cellY = new Int32Array(n)
  let maxRow = 0
  for (let i = 0; i < n; i++) {
    cellX[i] = Math.floor((x[i] - minX) / side)
    cellY[i] = Math.floor((y[i] - minY) / side) + 2
    if (cellY[i] > maxRow) maxRow = cellY[i]
  }
  const stride = maxRow + 3
  const cellOfKey = new Map<number, number>()
  const cellOf = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const key = cellX[i] * stride + cellY[i]
    let c = cellOfKey.get(key)
    if (c === undefined) {
      c = cellOfKey.size
      cellOfKey.set(key, c)
    }
    cellOf[i] = c
  }
  const cells = cellOfKey.size
  // Points grouped by cell, ascending within a cell: cell c is members[start[c] .. start[c + 1]).
  const groupByCell = (keep: (i: number) => boolean) => {
    const start = new Int32Array(cells + 1)
    for (let i = 0; i < n; i++) if (keep(i)) start[cellOf[i] + 1]++
    for (let c = 0; c < cells; c++) start[c + 1] += start[c]
    const fill = start.slice(0, cells)
    const members = new Int32Array(start[cells])
    for (let i = 0; i < n; i++) if (keep(i)) members[fill[cellOf[i]]++] = i
    return { start, members }
  }
  const all = groupByCell(() => true)

  // Up to 25 cells (offsets −2…2) may hold points within eps of a point of a cell; listed once per cell.
  const near = new Int32Array(cells * 25)
  const nearCount = new Int32Array(cells)
  for (let c = 0; c < cells; c++) {
    const i = all.members[all.start[c]]
    for (let dx = -2; dx <= 2; dx++) {
      for (let dy = -2; dy <= 2; dy++) {
        const other = cellOfKey.get((cellX[i] + dx) * stride + cellY[i] + dy)
        if (other !== undefined) near[c * 25 + nearCount[c]++] = other
      }
    }
  }
  const within = (i: number, j: number) => {
    const dx = x[i] - x[j]
    const dy = y[i] - y[j]
    return Math.sqrt(dx * dx + dy * dy) <= eps
  }

  // Core points: all of a cell holding minPoints; elsewhere counted one by one.
  const core = new Uint8Array(n)
  for (let c = 0; c < cells; c++) {
    const [from, to] = [all.start[c], all.start[c + 1]]
    if (to - from >= minPoints) {
      for (let k = from; k < to; k++) core[all.members[k]] = 1
      continue
    }
    for (let k = from; k < to; k++) {
      const i = all.members[k]
      // Every point of its own cell (itself included) is within eps: counted without measuring.
      let count = to - from
      for (let m = 0; m < nearCount[c] && count < minPoints; m++) {
        const other = near[c * 25 + m]
        if (other === c) continue
        for (let q = all.start[other]; q < all.start[other + 1] && count < minPoints; q++) if (within(i, all.members[q])) count++
      }
      if (count >= minPoints) core[i] = 1
    }
  }
  const cores = groupByCell((i) => core[i] === 1)

  // Core points of one cell are within eps of each other; two neighbouring
  // cells are joined by the first pair of their core points within eps.
  const parent = new Int32Array(cells)
  for (let c = 0; c < cells; c++) parent[c] = c
  const find = (c: number): number => {
    while (parent[c] !== c) {
      parent[c] = parent[parent[c]]
      c = parent[c]
    }
    return c
  }
  const anyWithin = (a: number, b: number) => {
    for (let p = cores.start[a]; p < cores.start[a + 1]; p++) {
      for (let q = cores.start[b]; q < cores.start[b + 1]; q++) if (within(cores.members[p], cores.members[q])) return true
    }
    return false
  }
  for (let c = 0; c < cells; c++) {
    if (cores.start[c] === cores.start[c + 1]) continue
    for (let m = 0; m < nearCount[c]; m++) {
      const other = near[c * 25 + m]
      if (other <= c || cores.start[other] === cores.start[other + 1]) continue
      const [a, b] = [find(c), find(other)]
      if (a !== b && anyWithin(c, other)) parent[a] = b
    }
  }
  for (let i = 0; i < n; i++) if (core[i]) labels[i] = find(cellOf[i])

  // Border points: the cluster of their first core neighbour in input order.
  for (let i = 0; i < n; i++) {
    if (core[i]) continue
    const c = cellOf[i]
    let first = -1
    for (let m = 0; m < nearCount[c]; m++) {
      const other = near[c * 25 + m]
      for (let q = cores.start[other]; q < cores.start[other + 1]; q++) {
        const j = cores.members[q]
        if (first !== -1 && j > first) break
        if (within(i, j)) first = j
      }
    }
    if (first !== -1) labels[i] = labels[first]
  }
  return labels
}
