import { readdir } from 'node:fs/promises'

/**
 * Migrations that share the number 0009, kept as they are on purpose. They were
 * written on parallel branches and deployed under these names; every database
 * records an applied migration by file name (and checksum) in
 * `schema_migrations`, so renaming one would make the migrator apply it again.
 * They run in file-name order, as they always have. No other file may share a
 * number, with them or with each other.
 */
export const HISTORICAL_SHARED_PREFIX_FILES: ReadonlySet<string> = new Set([
  '0009_bench_analytics.sql',
  '0009_cases_srv_photos.sql',
  '0009_heat_joint_case_close.sql',
])

/** The numeric prefix of a migration file name (`0012_login_protection.sql` → `0012`), or null without one. */
function numericPrefix(name: string): string | null {
  return /^(\d+)_/.exec(name)?.[1] ?? null
}

/**
 * Refuses migration file names that share a numeric prefix (compared as numbers,
 * so `0015_a.sql` and `015_b.sql` clash too). The only exception is
 * {@link HISTORICAL_SHARED_PREFIX_FILES}: a group of files with one number is
 * accepted only when every file in it is one of those. So two new files from
 * 0010 on with the same number are refused, and so is a new file numbered 0009.
 *
 * @param files migration file names (no folders), in any order
 * @throws Error naming every file of the first clashing group, and the next free number
 */
export function checkMigrationPrefixes(files: readonly string[]): void {
  const byNumber = new Map<number, string[]>()
  for (const name of [...files].sort()) {
    const prefix = numericPrefix(name)
    if (prefix === null) continue
    const number = Number(prefix)
    byNumber.set(number, [...(byNumber.get(number) ?? []), name])
  }
  const highest = Math.max(0, ...byNumber.keys())
  for (const names of byNumber.values()) {
    if (names.length < 2 || names.every((name) => HISTORICAL_SHARED_PREFIX_FILES.has(name))) continue
    const next = String(highest + 1).padStart(4, '0')
    throw new Error(
      `Migrations ${names.join(' and ')} share the number ${numericPrefix(names[0])}; ` +
        `each migration needs a number of its own (the next free one is ${next}). ` +
        'Renumber the one not yet deployed anywhere.',
    )
  }
}

/**
 * Lists the SQL migrations of `dir` in the order the migrator applies them
 * (file-name order), after {@link checkMigrationPrefixes} has accepted their names.
 *
 * The migrator (`migrate` in server/core/db/migrate.ts) lists its files with this
 * function, so a duplicate number stops it before it applies anything: at
 * server start, in `npm run db:migrate`, and in every test run, whose global
 * setup migrates the template database (tests/setup/template.ts; a
 * new migration file changes the template's cache key, so it always migrates
 * again). tests/unit/migration-files.test.ts also checks the real folder on
 * every run, so CI fails on a duplicate number.
 *
 * @param dir folder of the migrations (`MIGRATIONS_DIR` in production)
 * @returns the `.sql` file names, sorted
 * @throws Error when two files share a number (see {@link checkMigrationPrefixes})
 */
export async function listMigrationFiles(dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.sql')).sort()
  checkMigrationPrefixes(files)
  return files
}
