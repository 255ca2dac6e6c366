import { createHash } from 'node:crypto'
import pg from 'pg'

/**
 * The two layouts of the partitioning benchmark, each a schema holding a
 * table named `cases`, so that the app's own statements (which say `cases`)
 * run unchanged on either through `search_path = <schema>, public`.
 */
export const LAYOUTS = { plain: 'bench_plain', monthly: 'bench_monthly' } as const
export type Layout = keyof typeof LAYOUTS

/** Where the fill is recorded (volume, time, schema signature), to reuse it. */
const META = 'bench_partitioning'
/** Bumped when the generator below changes, so that a kept fill is rebuilt. */
const GENERATOR_VERSION = 3
/** Towns of the synthetic county and villages of each. */
export const TOWNS = 10
const VILLAGES_PER_TOWN = 12
/** Years of cases, ending at the fill's as-of instant. */
const YEARS = 5
/** Months of empty partitions made ahead of the as-of month (new cases land there). */
const MONTHS_AHEAD = 3
/** Partition bounds and report months are in the township's time zone. */
const ZONE = 'Asia/Shanghai'

/** Foreign keys of `public.cases` copied to both layouts (reference tables every deployment has). */
const COPIED_FOREIGN_KEYS = ['case_routing_rules', 'stations', 'users']

/** What a fill left, read back on the next run. */
export interface FillInfo {
  cases: number
  asOf: Date
  /** Seconds per step of the fill (generate, index, analyse…), per layout. */
  steps: Array<{ step: string; seconds: number }>
  partitions: number
  /** Bytes of table + indexes per layout. */
  bytes: Record<Layout, number>
}

/**
 * The DDL of `public.cases` (columns, indexes, constraints) as a hash: when a
 * migration changes the table, the kept fill no longer matches and is rebuilt.
 */
async function schemaSignature(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ part: string }>(`
    SELECT format('%s %s %s %s', a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attgenerated) AS part
      FROM pg_attribute a WHERE a.attrelid = 'public.cases'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = 'cases'
    UNION ALL SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'public.cases'::regclass
    ORDER BY 1`)
  return createHash('sha256').update(`${GENERATOR_VERSION}\n${rows.map((row) => row.part).join('\n')}`).digest('hex').slice(0, 16)
}

/** The kept fill of `volume` cases when it matches today's schema, else undefined. */
export async function keptFill(client: pg.Client, volume: number): Promise<FillInfo | undefined> {
  const { rows } = await client.query<{ info: FillInfo & { asOf: string }; signature: string }>(
    `SELECT info, signature FROM ${META}.fill WHERE volume = $1`,
    [volume],
  ).catch(() => ({ rows: [] as Array<{ info: FillInfo & { asOf: string }; signature: string }> }))
  const row = rows[0]
  if (!row || row.signature !== (await schemaSignature(client))) return undefined
  return { ...row.info, asOf: new Date(row.info.asOf) }
}

/** The column list of `public.cases` that the generator fills (generated columns are computed). */
const FILLED = [
  'id', 'kind', 'status', 'category', 'description', 'severity', 'tier', 'source', 'reporter_name', 'reporter_phone',
  'geom', 'reported_at', 'registered_at', 'registered_by', 'village_id', 'village_version', 'base_grid_id',
  'base_grid_version', 'fine_grid_id', 'fine_grid_version', 'deadline_at', 'station_key', 'dispatched_at',
  'resolved_at', 'fed_back_at', 'evaluated_at', 'satisfaction', 'timely', 'verified_at', 'rectified_at', 'closed_at',
  'version', 'updated_at', 'town_id',
]

/**
 * The synthetic county as one SELECT producing {@link FILLED} in tile order
 * (kind, z14 tile key, reported time) — the order `CLUSTER cases` gives the
 * table today (migration 0017), so neither layout needs a CLUSTER after.
 *
 * Ids ascend with the reported time (registration order), over {@link YEARS}
 * years ending at `$2`; ten towns on a 5 × 2 grid around Erhai (≈ 10 × 13 km
 * each), twelve villages each with cases spread ≈ 600 m around the village,
 * and one case in ten at the town's market (the busy tiles). Status follows
 * age: cases older than 60 days are finished, newer ones open with a
 * probability falling with age. `$1` is the volume, `$3` the registrant.
 */
const GENERATE = `
WITH g AS (
  SELECT i,
    $2::timestamptz - ((($1::int8 - i)::float8 / $1::int8) * ${YEARS} * 365.25 * 86400) * interval '1 second' AS reported_at,
    floor(random() * ${TOWNS})::int AS town, floor(random() * ${VILLAGES_PER_TOWN})::int AS village,
    random() < 0.55 AS hazard, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
    (random() + random() + random() - 1.5) AS dx, (random() + random() + random() - 1.5) AS dy
  FROM generate_series(1, $1::int8) AS i
), p AS (
  SELECT g.*,
    -- Town centre on the county's grid; the village ≈ 4 km around it (fixed per town and village).
    99.95 + 0.10 * (town % 5) + 0.035 * sin(town * 12.9898 + village * 78.233) AS vlon,
    25.70 + 0.12 * (town / 5) + 0.040 * cos(town * 39.3468 + village * 11.135) AS vlat,
    1000 + town * 100 + village AS village_id,
    CASE WHEN hazard THEN (ARRAY['low','medium','high','critical'])[1 + floor(r1 * r1 * 4)::int]
         ELSE NULL END AS severity,
    CASE WHEN hazard THEN NULL
         ELSE (ARRAY['general','general','general','general','general','general','general','general','complex','complex','major'])[1 + floor(r1 * 11)::int] END AS tier,
    extract(epoch FROM $2::timestamptz - reported_at) / 86400 AS age_days
  FROM g
), q AS (
  SELECT p.*,
    CASE WHEN r2 < 0.1 THEN 99.95 + 0.10 * (town % 5) + dx * 0.001 ELSE vlon + dx * 0.006 END AS lon,
    CASE WHEN r2 < 0.1 THEN 25.70 + 0.12 * (town / 5) + dy * 0.001 ELSE vlat + dy * 0.006 END AS lat,
    reported_at + CASE coalesce(severity, tier)
      WHEN 'critical' THEN 24 WHEN 'major' THEN 24 WHEN 'high' THEN 72 WHEN 'general' THEN 72
      WHEN 'medium' THEN 168 ELSE 360 END * interval '1 hour' AS deadline_at,
    -- Finished: every case older than 60 days, fewer the newer.
    r3 < least(1.0, age_days / 60.0) AS finished,
    reported_at + (0.2 + r4 * 20) * interval '1 day' AS finished_at
  FROM p
)
SELECT i AS id,
  CASE WHEN hazard THEN 'hazard' ELSE 'dispute' END AS kind,
  CASE WHEN hazard THEN (CASE WHEN finished THEN 'closed' WHEN r4 < 0.5 THEN 'reported' ELSE 'rectifying' END)
       ELSE (CASE WHEN finished THEN 'evaluated' WHEN r4 < 0.5 THEN 'registered' ELSE 'dispatched' END) END AS status,
  CASE WHEN hazard THEN (ARRAY['fire','geological','flood','building','traffic','electrical','food','public-security','other'])[1 + floor(r2 * 9)::int]
       ELSE (ARRAY['neighbour','land','homestead','contract','debt','labour','marriage-family','public-order','criminal-civil','petition','hardship','other'])[1 + floor(r2 * 12)::int] END AS category,
  left('村民反映：村道旁民房后墙出现裂缝，雨季有坍塌风险，已拍照留存，请尽快核实并安排整改；邻里双方因宅基地界线和排水沟走向发生争执，多次协商未果，需要调解员上门。', 20 + floor(r3 * 60)::int) AS description,
  severity, tier,
  (ARRAY['grid_worker','grid_worker','grid_worker','walk_in','hotline','department'])[1 + floor(r4 * 6)::int] AS source,
  '杨某' || (i % 97) AS reporter_name, '1380000' || lpad((i % 10000)::text, 4, '0') AS reporter_phone,
  ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom, reported_at, reported_at + interval '10 minutes' AS registered_at, $3::int8 AS registered_by,
  village_id, 1 AS village_version,
  village_id * 10 + floor(r1 * 5)::int AS base_grid_id, 1 AS base_grid_version,
  village_id * 100 + floor(r1 * 5)::int * 10 + floor(r2 * 4)::int AS fine_grid_id, 1 AS fine_grid_version,
  deadline_at,
  CASE WHEN NOT hazard AND (finished OR r4 >= 0.5) THEN (ARRAY['legal-mediation','litigation','women-children','police','petition','social-work'])[1 + floor(r2 * 6)::int] END AS station_key,
  CASE WHEN NOT hazard AND (finished OR r4 >= 0.5) AND tier <> 'complex' THEN reported_at + interval '2 hours' END AS dispatched_at,
  CASE WHEN NOT hazard AND finished THEN finished_at END AS resolved_at,
  CASE WHEN NOT hazard AND finished THEN finished_at + interval '1 day' END AS fed_back_at,
  CASE WHEN NOT hazard AND finished THEN finished_at + interval '3 days' END AS evaluated_at,
  CASE WHEN NOT hazard AND finished THEN 3 + floor(r3 * 3)::int END AS satisfaction,
  CASE WHEN finished THEN finished_at <= deadline_at END AS timely,
  CASE WHEN hazard THEN reported_at + interval '3 hours' END AS verified_at,
  CASE WHEN hazard AND finished THEN finished_at END AS rectified_at,
  CASE WHEN finished THEN finished_at + interval '3 days' END AS closed_at,
  CASE WHEN finished THEN 5 ELSE 2 END AS version,
  CASE WHEN finished THEN finished_at + interval '3 days' ELSE reported_at + interval '2 hours' END AS updated_at,
  1 + town AS town_id
FROM q
-- tile14_key(geom) written out on lon/lat (the same arithmetic): the function is not inlined on an expression
-- argument it uses three times, and calling it per row doubled the generation time.
ORDER BY kind, (floor((lon + 180) / 360 * 16384) * 16384 + floor((1 - ln(tan(radians(lat)) + 1 / cos(radians(lat))) / pi()) / 2 * 16384))::integer, reported_at`

/** Quoted identifier of a monthly partition, e.g. `cases_y2026m03`. */
function partitionName(month: Date): string {
  return `cases_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, '0')}`
}

/** Month starts (as calendar dates) from `first` through `last`, inclusive. */
function months(first: Date, last: Date): Date[] {
  const out: Date[] = []
  for (let m = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1)); m <= last; m = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1))) out.push(m)
  return out
}

/** `YYYY-MM-01 00:00` in the township's zone, as SQL text. */
function monthStart(month: Date): string {
  return `'${month.toISOString().slice(0, 10)} 00:00 ${ZONE}'`
}

/**
 * Creates both layouts of `cases` from `public.cases` (columns, generated
 * columns, CHECKs, identity, fill factor, the copied foreign keys and every
 * index) plus a `town_id` column if the table has none yet:
 * - plain: as the migrations make it;
 * - monthly: `PARTITION BY RANGE (reported_at)`, one partition per month in
 *   Asia/Shanghai time, the primary key and `lead_id` uniqueness widened by
 *   `reported_at` (a unique index of a partitioned table must hold the key).
 */
async function createLayouts(client: pg.Client, asOf: Date): Promise<number> {
  const hasTown = (await client.query(`SELECT 1 FROM pg_attribute WHERE attrelid = 'public.cases'::regclass AND attname = 'town_id' AND NOT attisdropped`)).rowCount
  const like = 'LIKE public.cases INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING STORAGE'
  for (const schema of Object.values(LAYOUTS)) {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    await client.query(`CREATE SCHEMA ${schema}`)
  }
  await client.query(`CREATE TABLE ${LAYOUTS.plain}.cases (${like}) WITH (fillfactor = 90)`)
  await client.query(`CREATE TABLE ${LAYOUTS.monthly}.cases (${like}) PARTITION BY RANGE (reported_at)`)
  if (!hasTown) for (const schema of Object.values(LAYOUTS)) await client.query(`ALTER TABLE ${schema}.cases ADD COLUMN town_id integer NOT NULL`)
  const first = new Date(Date.UTC(asOf.getUTCFullYear() - YEARS, asOf.getUTCMonth() - 1, 1))
  const last = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() + MONTHS_AHEAD, 1))
  const all = months(first, last)
  for (const [index, month] of all.entries()) {
    const next = all[index + 1] ?? new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))
    await client.query(`CREATE TABLE ${LAYOUTS.monthly}.${partitionName(month)} PARTITION OF ${LAYOUTS.monthly}.cases
      FOR VALUES FROM (${monthStart(month)}) TO (${monthStart(next)}) WITH (fillfactor = 90)`)
  }
  return all.length
}

/** Primary key, uniqueness, indexes and copied foreign keys of `public.cases`, on one layout. */
async function addIndexes(client: pg.Client, layout: Layout): Promise<void> {
  const schema = LAYOUTS[layout]
  const partitioned = layout === 'monthly'
  const { rows: indexes } = await client.query<{ indexdef: string }>(`
    SELECT i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname AND c.relnamespace = 'public'::regnamespace
      JOIN pg_index x ON x.indexrelid = c.oid
    WHERE i.schemaname = 'public' AND i.tablename = 'cases' AND NOT x.indisprimary AND NOT x.indisunique
    ORDER BY i.indexname`)
  for (const { indexdef } of indexes) await client.query(indexdef.replace(' ON public.cases ', ` ON ${schema}.cases `))
  // After the plain indexes (CREATE INDEX lets the partitioned copy read the plain table meanwhile; ALTER TABLE would not).
  await client.query(`ALTER TABLE ${schema}.cases ADD PRIMARY KEY (${partitioned ? 'id, reported_at' : 'id'})`)
  await client.query(`ALTER TABLE ${schema}.cases ADD UNIQUE (${partitioned ? 'lead_id, reported_at' : 'lead_id'})`)
  const { rows: keys } = await client.query<{ def: string }>(`
    SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint
    WHERE conrelid = 'public.cases'::regclass AND contype = 'f' AND confrelid::regclass::text = ANY($1)`, [COPIED_FOREIGN_KEYS])
  // NOT VALID on the plain table: new rows are checked as in the app, the generated ones are known good.
  // A partitioned table takes no NOT VALID foreign key (PostgreSQL 15), so there it is validated (one scan).
  for (const { def } of keys) await client.query(`ALTER TABLE ${schema}.cases ADD ${def}${partitioned ? '' : ' NOT VALID'}`)
  await client.query(`SELECT setval(pg_get_serial_sequence('${schema}.cases', 'id'), (SELECT max(id) FROM ${schema}.cases))`)
}

/** Bytes of a layout's table and indexes (all partitions). */
async function layoutBytes(client: pg.Client, layout: Layout): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>(`
    SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c
    WHERE c.relnamespace = $1::regnamespace AND c.relkind = 'r'`, [LAYOUTS[layout]])
  return Number(rows[0].bytes)
}

/**
 * Builds both layouts with `volume` synthetic county cases ending at
 * `asOf`, indexes and analyses them, and records the fill for reuse.
 * Generation goes to the plain table in one INSERT … SELECT (COPY speed, no
 * index yet), the partitioned table is filled from it; indexes come after.
 */
export async function fillLayouts(url: string, volume: number, asOf: Date, log: (line: string) => void): Promise<FillInfo> {
  const steps: FillInfo['steps'] = []
  const fillStarted = performance.now()
  const lanes = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })]
  const step = async (name: string, body: () => Promise<unknown>) => {
    const started = performance.now()
    await body()
    steps.push({ step: name, seconds: (performance.now() - started) / 1000 })
    log(`  ${name}: ${steps.at(-1)!.seconds.toFixed(1)} s`)
  }
  try {
    for (const lane of lanes) {
      await lane.connect()
      await lane.query(`SET work_mem = '256MB'`)
      await lane.query(`SET maintenance_work_mem = '1GB'`)
      await lane.query(`SET synchronous_commit = off`)
    }
    const [client, other] = lanes
    await client.query(`DROP SCHEMA IF EXISTS ${META} CASCADE`)
    const partitions = await createLayouts(client, asOf)
    const admin = await client.query<{ id: string }>(`SELECT id FROM users ORDER BY id LIMIT 1`)
    const columns = FILLED.join(', ')
    await client.query(`SELECT setseed(0.42)`)
    await step(`plain: generate ${volume.toLocaleString('en')} cases`, () =>
      client.query(`INSERT INTO ${LAYOUTS.plain}.cases (${columns}) OVERRIDING SYSTEM VALUE ${GENERATE}`, [volume, asOf, admin.rows[0].id]))
    // Two lanes (two cores): the plain table's indexes, and the partitioned copy with its indexes.
    await Promise.all([
      (async () => {
        await step('plain: indexes', () => addIndexes(client, 'plain'))
        await step('plain: VACUUM ANALYZE', () => client.query(`VACUUM (ANALYZE) ${LAYOUTS.plain}.cases`))
      })(),
      (async () => {
        await step('monthly: copy into partitions', () =>
          other.query(`INSERT INTO ${LAYOUTS.monthly}.cases (${columns}) OVERRIDING SYSTEM VALUE SELECT ${columns} FROM ${LAYOUTS.plain}.cases`))
        await step('monthly: indexes', () => addIndexes(other, 'monthly'))
        await step('monthly: VACUUM ANALYZE', () => other.query(`VACUUM (ANALYZE) ${LAYOUTS.monthly}.cases`))
      })(),
    ])
    steps.push({ step: 'in all (wall clock)', seconds: (performance.now() - fillStarted) / 1000 })
    const info: FillInfo = { cases: volume, asOf, steps, partitions, bytes: { plain: await layoutBytes(client, 'plain'), monthly: await layoutBytes(client, 'monthly') } }
    await client.query(`CREATE SCHEMA ${META}`)
    await client.query(`CREATE TABLE ${META}.fill (volume int8 PRIMARY KEY, info jsonb NOT NULL, signature text NOT NULL)`)
    await client.query(`INSERT INTO ${META}.fill VALUES ($1, $2, $3)`, [volume, JSON.stringify(info), await schemaSignature(client)])
    return info
  } finally {
    for (const lane of lanes) await lane.end()
  }
}
