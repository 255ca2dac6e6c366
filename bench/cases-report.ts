import type { CasesBench, PayloadFigure } from './cases.bench.ts'
import { ms } from './stats.ts'

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length))
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`

function payloadLine(name: string, figure: PayloadFigure): string {
  return `  ${name}: ${figure.features.toLocaleString('en')} features, ${mib(figure.bytes)} (${Math.round(figure.bytes / Math.max(1, figure.features))} B each), JSON.parse p50 ${ms(figure.parse.p50)}`
}

/** Prints the cases benchmark as a table, API p95 against `target` × SQL p95; true when every row is within it. */
export function printCasesBench(label: string, result: CasesBench, runs: number, target: number): boolean {
  console.log(
    `\n[${label}] cases: ${result.loaded.toLocaleString('en')} sample cases loaded (registration-only ledger) and analysed in ${(result.loadMs / 1000).toFixed(1)} s; ` +
      `${result.total.toLocaleString('en')} cases in the database; ${runs} turns of API and SQL each`,
  )
  const header = `  ${pad('request', 42)}${pad('API p50', 12)}${pad('API p95', 12)}${pad('SQL p50', 12)}${pad('SQL p95', 12)}${pad('p95 ratio', 11)}target ≤ ${target}`
  console.log(header)
  let ok = true
  for (const row of result.rows) {
    const ratio = row.api.p95 / row.sql.p95
    ok &&= ratio <= target
    console.log(
      `  ${pad(row.label, 42)}${pad(ms(row.api.p50), 12)}${pad(ms(row.api.p95), 12)}${pad(ms(row.sql.p50), 12)}${pad(ms(row.sql.p95), 12)}${pad(ratio.toFixed(2), 11)}${ratio <= target ? 'OK' : 'MISSED'}`,
    )
  }
  for (const note of result.skipped) console.log(`  (skipped) ${note}`)
  console.log('  SQL = the statements the route runs, recorded from its repository/service calls and replayed on the driver (registration: in one transaction).')
  if (result.page) console.log(payloadLine('bbox page of 1000 hazards', result.page))
  if (result.all) console.log(payloadLine('every case as one FeatureCollection (the map loading all; page features repeated)', result.all))
  return ok
}
