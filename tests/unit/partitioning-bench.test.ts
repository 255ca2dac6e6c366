import { describe, expect, it } from 'vitest'
import { planFacts } from '../../bench/explain.ts'
import { capture, insertWithTown, kpisByTown } from '../../bench/partitioning-statements.ts'
import { findCaseKpis } from '../../server/features/analytics/kpis/kpis.repository.ts'
import { insertCase, type NewCase } from '../../server/features/cases/cases.repository.ts'

// The partitioning benchmark (bench/partitioning.bench.ts) runs the app's own
// statements, captured from the repositories, with two rewrites. These tests
// fail when a repository change breaks a rewrite, instead of the benchmark
// silently measuring something else.

const NEW_CASE: NewCase = {
  kind: 'hazard', status: 'reported', category: 'fire', description: 'x', severity: 'high', tier: null,
  source: 'grid_worker', reporterName: '杨某', reporterPhone: null, photos: [], leadId: null, crossVillage: false,
  lon: 100.1, lat: 25.8, reportedAt: new Date('2026-11-30T00:00:00Z'), registeredBy: 1,
  village: { areaId: 1, version: 1 }, baseGrid: null, fineGrid: null, deadlineAt: new Date('2026-12-03T00:00:00Z'),
}

describe('partitioning benchmark statements', () => {
  it('captures the KPI statement and groups it by town, parameters unchanged', async () => {
    const window = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') }
    const kpis = await capture((db) => findCaseKpis(db, 'village', window, new Date('2026-11-23T16:00:00Z')))
    const byTown = kpisByTown(kpis.sql)
    expect(byTown).toContain('c.town_id::text AS key')
    expect(byTown).not.toContain('village_id')
    expect(kpis.parameters).toContain(window.to)
  })

  it('adds the town to the captured case insert once, keeping the placeholders', async () => {
    const insert = await capture((db) => insertCase(db, NEW_CASE))
    const withTown = insertWithTown(insert.sql)
    expect(withTown.startsWith('insert into "cases" ("town_id", "kind"')).toBe(true)
    expect(withTown).toContain(' values (1, $1')
    expect(withTown.match(/\$\d+/g)?.length).toBe(insert.sql.match(/\$\d+/g)?.length)
    // An insert that already names the town (issue 13's schema) is left alone.
    expect(insertWithTown(withTown)).toBe(withTown)
  })

  it('refuses a KPI statement it cannot rewrite', () => {
    expect(() => kpisByTown('SELECT 1 FROM cases c')).toThrow(/village_id/)
  })
})

describe('planFacts', () => {
  const explained = [
    {
      Plan: {
        'Node Type': 'Append',
        'Shared Hit Blocks': 30,
        'Shared Read Blocks': 12,
        'Actual Loops': 1,
        Plans: [
          { 'Node Type': 'Index Scan', 'Relation Name': 'cases_y2026m10', 'Actual Loops': 1 },
          { 'Node Type': 'Index Scan', 'Relation Name': 'cases_y2026m11', 'Actual Loops': 1, Plans: [{ 'Node Type': 'Index Scan', 'Relation Name': 'cases_y2026m11', 'Actual Loops': 1 }] },
          // Pruned at run time: in the plan, never executed.
          { 'Node Type': 'Index Scan', 'Relation Name': 'cases_y2026m12', 'Actual Loops': 0 },
          { 'Node Type': 'Seq Scan', 'Relation Name': 'area_versions', 'Actual Loops': 3 },
        ],
      },
      Planning: { 'Shared Hit Blocks': 7, 'Shared Read Blocks': 1 },
      'Planning Time': 1.5,
      'Execution Time': 4.25,
    },
  ]

  it('counts pages of the execution and of planning, and the partitions actually read', () => {
    expect(planFacts(explained, (name) => /^cases_y\d{4}m\d{2}$/.test(name))).toEqual({
      pages: 42,
      pagesRead: 12,
      planningPages: 8,
      planningMs: 1.5,
      executionMs: 4.25,
      partitionsScanned: 2,
    })
  })
})
