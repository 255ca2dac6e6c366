import { sql } from 'kysely'
import { readConfig } from './config.ts'
import { buildApp } from './app.ts'
import { openEngineAndPrepare, type PrepareStep } from './bootstrap.ts'
import { missingAdministratorRoles } from './core/auth/users.repository.ts'

/** Seconds since this process started (module loading included), for the progress lines. */
const elapsed = () => `${(performance.now() / 1000).toFixed(1)} s`

const config = readConfig()

/** The line printed before each step of preparing the database. */
const STEP_LINES: Record<PrepareStep, string> = {
  migrations: 'checking migrations …',
  sample: config.sampleCounty ? 'empty database: loading the sample county (SAMPLE_COUNTY=on) …' : 'empty database: loading the sample township …',
  activity: 'generating a year of sample activity …',
  admin: 'checking the administrator …',
}

const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite + PostGIS in ${config.dataDir}`
console.log(`GridAtlas [${elapsed()}]: opening ${where} …`)

// The embedded database opens in its own thread while this one builds the app.
const { engine, prepared } = await openEngineAndPrepare(config, (step) => console.log(`GridAtlas [${elapsed()}]: ${STEP_LINES[step]}`))
console.log(`GridAtlas [${elapsed()}]: building the app …`)
const app = await buildApp({
  engine,
  databaseReady: prepared,
  clientDir: config.clientDir,
  geodataDir: config.geodataDir,
  logLevel: config.logLevel,
  secureCookies: config.secureCookies,
  sessionIdleMinutes: config.sessionIdleMinutes,
  sessionMaxHours: config.sessionMaxHours,
  photoDir: config.photoDir,
  replicaUrl: config.databaseReplicaUrl,
  trustProxy: config.trustProxy,
  publicUrl: config.publicUrl,
  limits: Object.fromEntries(Object.entries(config.limits).filter(([, value]) => value !== undefined)),
  login: config.login,
})
const report = await prepared
if (report.migrationsApplied.length > 0) console.log(`GridAtlas: applied migrations ${report.migrationsApplied.join(', ')}`)
if (report.sample) {
  console.log(`GridAtlas: loaded sample ${config.sampleCounty ? 'county' : 'township'} ${report.sample.townName} (${report.sample.areas} areas, ${report.sample.staff} staff)`)
}
if (report.activity) {
  const a = report.activity
  console.log(
    `GridAtlas: loaded a year of sample activity (${a.hazards + a.disputes + a.convertedLeads} cases, ${a.leads} leads, ` +
      `${a.keyPersons} key persons, ${a.visits} visits; synthetic, by the sample users ${config.sampleCounty ? '"<town>-*"' : '"sample-*"'} who cannot sign in)`,
  )
}

console.log(`GridAtlas [${elapsed()}]: listening …`)
await app.listen({ port: config.port, host: config.host })
const address = app.server.address()
const port = typeof address === 'object' && address ? address.port : config.port
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host

console.log(`\nGridAtlas is ready in ${elapsed()}: http://${shownHost}:${port}/`)
// The embedded PostgreSQL loads PostGIS's library at its first use (postgis-bundle.js); load it now, while nobody waits.
if (engine.kind === 'pglite') void sql`SELECT postgis_lib_version()`.execute(engine.db).catch(() => {})
if (report.admin.created && 'generatedPassword' in report.admin && report.admin.generatedPassword) {
  console.log(`Sign in as "admin" with the generated password: ${report.admin.generatedPassword}`)
  console.log('It is shown only this once and stored only as a hash; set ADMIN_PASSWORD before the first start to choose it.')
} else if (report.admin.created) {
  console.log('Sign in as "admin" with the password from ADMIN_PASSWORD.')
} else {
  console.log('Sign in as "admin" (password printed at the first start; reset it with: npm run user:create -- --username admin --reset-password)')
}
const missingAdmins = await missingAdministratorRoles(engine.db)
if (missingAdmins.length > 0) {
  console.log(
    `Separation of duties (三员分立): "admin" is the system administrator; there is no ${missingAdmins.join(' or ')} yet. ` +
      `Create them with${config.databaseUrl ? '' : ' (stop the server first: one process at a time opens the embedded database)'}:`,
  )
  for (const role of missingAdmins) console.log(`  npm run user:create -- --username ${role.replace('_admin', '')}-admin --role ${role}`)
}
if (config.login.adminSecondFactor === 'off') {
  console.log('ADMIN_SECOND_FACTOR=off: administrators sign in with a password only; for a local trial, never in production.')
} else {
  console.log(
    'Administrators sign in with a password and an authenticator app (TOTP): the first sign-in shows a QR code to enrol one. ' +
      'For a local trial without one: ADMIN_SECOND_FACTOR=off npm start',
  )
}
console.log(`OGC API – Features: http://${shownHost}:${port}/api   (Ctrl+C to stop)`)

// Route schemas not used yet are compiled now, a slice at a time between requests (schema-compilations.ts):
// a schema that does not compile is reported at start, as it was when they were all compiled before listening.
void app.schemaCompilations.compileInBackground((error) => console.error(`GridAtlas: ${error.message}`))

let closing = false
async function shutdown(signal: string) {
  if (closing) return
  closing = true
  console.log(`\nGridAtlas: ${signal}, closing …`)
  await app.close()
  await engine.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
