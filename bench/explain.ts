/** What `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` says of one execution. */
export interface PlanFacts {
  /** Shared buffers touched by the execution (hit + read), i.e. 8 KiB pages read. */
  pages: number
  /** Of those, read from outside shared buffers (OS cache or disk). */
  pagesRead: number
  /** Shared buffers touched while planning (catalogue and statistics; grows with partitions). */
  planningPages: number
  planningMs: number
  executionMs: number
  /** Distinct relations whose name matches the partition pattern that were scanned at least once. */
  partitionsScanned: number
}

interface PlanNode {
  'Relation Name'?: string
  'Actual Loops'?: number
  'Shared Hit Blocks'?: number
  'Shared Read Blocks'?: number
  Plans?: PlanNode[]
}

interface ExplainRoot {
  Plan: PlanNode
  Planning?: { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number }
  'Planning Time': number
  'Execution Time': number
}

/**
 * The facts of a JSON plan (the first element of the EXPLAIN answer);
 * `partition` tells which relation names are partitions.
 */
export function planFacts(explained: unknown, partition: (relation: string) => boolean): PlanFacts {
  const root = (Array.isArray(explained) ? explained[0] : explained) as ExplainRoot
  const scanned = new Set<string>()
  const walk = (node: PlanNode) => {
    if (node['Relation Name'] && partition(node['Relation Name']) && (node['Actual Loops'] ?? 0) > 0) scanned.add(node['Relation Name'])
    for (const child of node.Plans ?? []) walk(child)
  }
  walk(root.Plan)
  const top = root.Plan
  return {
    pages: (top['Shared Hit Blocks'] ?? 0) + (top['Shared Read Blocks'] ?? 0),
    pagesRead: top['Shared Read Blocks'] ?? 0,
    planningPages: (root.Planning?.['Shared Hit Blocks'] ?? 0) + (root.Planning?.['Shared Read Blocks'] ?? 0),
    planningMs: root['Planning Time'],
    executionMs: root['Execution Time'],
    partitionsScanned: scanned.size,
  }
}
