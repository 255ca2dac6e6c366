/**
 * Puts a test database back to the state it was handed out in, so that the
 * next test file of the same vitest worker can use it instead of a new copy.
 *
 * Why: a new copy per file was the largest fixed cost of an API test file. On
 * PGlite opening a copy costs ~3.4 CPU-s (the WebAssembly PostgreSQL and
 * PostGIS start in a new thread), a reset ~0.1–0.2; on PostgreSQL
 * `CREATE DATABASE … TEMPLATE` and `DROP DATABASE` take 1.5–4 s each under load
 * (files copied and fsynced), a reset well under one (measured on the shared
 * 2-core machine, load ~20).
 *
 * How: before a database is first handed out, its rows are copied into the
 * schema {@link PRISTINE_SCHEMA} and its sequences' positions are read. A reset
 * finds the tables a file wrote to (a row count that differs, or a row whose
 * `xmin` is newer than the last reset), deletes their rows and copies the
 * pristine ones back with triggers off (as a replica would), then sets every
 * sequence where it was. The schema is fingerprinted too: a file that changed
 * it (a dropped index, a migration) gives its database up, and the next file
 * gets a new copy.
 */

/** Schema holding the rows a reset copies back. Never visible to the app (not on its search_path). */
export const PRISTINE_SCHEMA = 'gridatlas_test_pristine'

/** How a reset talks to a database: one session, plain SQL. */
export interface ResetSession {
  /** Runs one statement and returns its rows. */
  query<Row>(text: string): Promise<Row[]>
  /** Runs a multi-statement script. */
  exec(script: string): Promise<void>
}

/** A table a reset restores, and its copy in {@link PRISTINE_SCHEMA}. */
interface SavedTable {
  name: string
  /** Quoted names of its columns, generated ones left out. */
  columns: string
  copy: string
  rows: number
}

/** What {@link snapshot} learnt about a database, to check and restore it later. */
export interface Snapshot {
  fingerprint: string
  tables: SavedTable[]
  /** Statements that put every sequence back where it stood. */
  sequences: string[]
  /** The last transaction that wrote the pristine rows: a row with a later `xmin` was written by a test. */
  lastXid: number
}

/** Schemas that belong to PostgreSQL itself or to this module, never compared nor restored. */
const SYSTEM_SCHEMAS = `('pg_catalog', 'information_schema', 'pg_toast', '${PRISTINE_SCHEMA}')`
const USER_NAMESPACES = `(SELECT oid FROM pg_namespace WHERE nspname NOT IN ${SYSTEM_SCHEMAS} AND nspname NOT LIKE 'pg\\_temp%' AND nspname NOT LIKE 'pg\\_toast\\_temp%')`

/**
 * One hash of the user schema: relations, columns, constraints, indexes,
 * triggers, policies, functions, views, extensions. Anything a test could
 * change that a row reset would not put back.
 */
const FINGERPRINT_SQL = `
SELECT md5(concat_ws('|',
  (SELECT string_agg(concat_ws(',', n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relpersistence), ';' ORDER BY n.nspname, c.relname)
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relnamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(concat_ws(',', a.attrelid::regclass::text, a.attname, a.atttypid, a.attnotnull, a.attgenerated, a.attidentity, pg_get_expr(d.adbin, d.adrelid)), ';' ORDER BY a.attrelid::regclass::text, a.attnum)
     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE c.relnamespace IN ${USER_NAMESPACES} AND a.attnum > 0 AND NOT a.attisdropped),
  (SELECT string_agg(concat_ws(',', conrelid::regclass::text, conname, pg_get_constraintdef(oid)), ';' ORDER BY conrelid::regclass::text, conname)
     FROM pg_constraint WHERE connamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(pg_get_indexdef(i.indexrelid), ';' ORDER BY pg_get_indexdef(i.indexrelid))
     FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(concat_ws(',', tgrelid::regclass::text, tgname, tgenabled, tgfoid::regprocedure::text), ';' ORDER BY tgrelid::regclass::text, tgname)
     FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND c.relnamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(concat_ws(',', polrelid::regclass::text, polname, polcmd, polpermissive, pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)), ';' ORDER BY polrelid::regclass::text, polname)
     FROM pg_policy),
  (SELECT string_agg(concat_ws(',', p.oid::regprocedure::text, md5(p.prosrc)), ';' ORDER BY p.oid::regprocedure::text)
     FROM pg_proc p WHERE p.pronamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(concat_ws(',', c.oid::regclass::text, md5(pg_get_viewdef(c.oid))), ';' ORDER BY c.oid::regclass::text)
     FROM pg_class c WHERE c.relkind IN ('v', 'm') AND c.relnamespace IN ${USER_NAMESPACES}),
  (SELECT string_agg(concat_ws(',', extname, extversion), ';' ORDER BY extname) FROM pg_extension)
)) AS fingerprint`

/** Tables whose rows a reset restores: user tables (partitions through their parent), not those of an extension (spatial_ref_sys). */
const TABLES_SQL = `
SELECT c.oid::regclass::text AS name,
       (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute a
         WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '') AS columns
  FROM pg_class c
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relnamespace IN ${USER_NAMESPACES}
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY 1`

/** The table of data revisions (migration 0016), as {@link TABLES_SQL} names it. */
const REVISIONS_TABLE = 'data_revisions'
/** Disputes changed by transaction (migration 0027); a row without a case means all of them. */
const DISPUTE_CHANGES_TABLE = 'dispute_point_changes'

/** Sequences and where they stand (an untouched sequence restarts at its start). */
const SEQUENCES_SQL = `
SELECT format('%I.%I', schemaname, sequencename) AS name, coalesce(last_value, start_value) AS value, last_value IS NOT NULL AS called
  FROM pg_sequences WHERE schemaname NOT IN ${SYSTEM_SCHEMAS} ORDER BY 1`

/** The schema's fingerprint ({@link FINGERPRINT_SQL}). */
export async function fingerprint(session: ResetSession): Promise<string> {
  const [row] = await session.query<{ fingerprint: string }>(FINGERPRINT_SQL)
  return row.fingerprint
}

/** Id of the current transaction, as the 32 bits a row's `xmin` holds. */
async function currentXid(session: ResetSession): Promise<number> {
  const [row] = await session.query<{ xid: string }>(`SELECT (pg_current_xact_id()::text::bigint % 4294967296)::text AS xid`)
  return Number(row.xid)
}

/** Copies the rows of a database just made from the template into {@link PRISTINE_SCHEMA}, and says how to restore them. */
export async function snapshot(session: ResetSession): Promise<Snapshot> {
  const found = await session.query<{ name: string; columns: string }>(TABLES_SQL)
  const sequences = await session.query<{ name: string; value: number | string; called: boolean }>(SEQUENCES_SQL)
  const copies = found.map((table, index) => ({ ...table, copy: `${PRISTINE_SCHEMA}.t${index}` }))
  await session.exec(
    [
      `CREATE SCHEMA ${PRISTINE_SCHEMA}`,
      ...copies.map(({ name, columns, copy }) => `CREATE TABLE ${copy} AS SELECT ${columns} FROM ${name}`),
    ].join(';\n'),
  )
  const counts = await session.query<{ copy: string; rows: number | string }>(
    copies.map(({ copy }) => `SELECT '${copy}' AS copy, count(*) AS rows FROM ${copy}`).join(' UNION ALL ') || `SELECT '' AS copy, 0 AS rows`,
  )
  const rowsOf = new Map(counts.map((row) => [row.copy, Number(row.rows)]))
  return {
    fingerprint: await fingerprint(session),
    tables: copies.map((table) => ({ ...table, rows: rowsOf.get(table.copy) ?? 0 })),
    sequences: sequences.map((sequence) => `SELECT setval('${sequence.name.replace(/'/g, "''")}', ${Number(sequence.value)}, ${sequence.called})`),
    lastXid: await currentXid(session),
  }
}

/**
 * Tables a test wrote to since `saved.lastXid`: a row count that differs, or
 * a row written later (inserts and updates give rows a new `xmin`; a delete
 * alone changes the count).
 */
async function changedTables(session: ResetSession, saved: Snapshot): Promise<SavedTable[]> {
  if (saved.tables.length === 0) return []
  const probes = saved.tables.map(
    (table, index) =>
      `SELECT ${index} AS i FROM (SELECT count(*) AS n, bool_or(xmin::text::bigint > ${saved.lastXid}) AS written FROM ${table.name}) s WHERE n <> ${table.rows} OR written`,
  )
  const rows = await session.query<{ i: number }>(probes.join('\nUNION ALL\n'))
  return rows.map((row) => saved.tables[Number(row.i)])
}

/**
 * Restores the rows and sequences of `saved` in one transaction and says
 * whether the database may be handed out again: false when its schema is no
 * longer the one snapshotted (then the caller drops it). Only tables a test
 * wrote to are rewritten.
 */
export async function reset(session: ResetSession, saved: Snapshot): Promise<boolean> {
  if ((await fingerprint(session)) !== saved.fingerprint) return false
  const changed = await changedTables(session, saved)
  // The data revisions (migration 0016) are not put back: caches that outlive a
  // file in the worker (the dispute snapshot of each database handle) are keyed
  // by them and trust that they only grow, so a reset counts as one more write.
  const restored = changed.filter(({ name }) => name !== REVISIONS_TABLE)
  await session.exec(
    [
      'BEGIN',
      // Replica mode skips triggers (append-only guards, revision counters) and foreign-key checks: the rows come back as they were.
      'SET LOCAL session_replication_role = replica',
      ...restored.flatMap(({ name, columns, copy, rows }) => [
        `DELETE FROM ${name}`,
        ...(rows > 0 ? [`INSERT INTO ${name} (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${copy}`] : []),
      ]),
      ...(changed.length > 0 ? [`UPDATE ${REVISIONS_TABLE} SET revision = revision + 1 WHERE slot = 0`] : []),
      // And the disputes may all have changed (migration 0027): a held dispute snapshot is read again whole.
      ...(changed.length > 0 ? [`INSERT INTO ${DISPUTE_CHANGES_TABLE} (case_id) VALUES (NULL)`] : []),
      ...saved.sequences,
    ].join(';\n'),
  )
  try {
    // Rows restored now carry this transaction's id; anything written later is newer.
    saved.lastXid = await currentXid(session)
    await session.exec('COMMIT')
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => {})
    throw error
  }
  return true
}
