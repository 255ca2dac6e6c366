import { readConfig } from '../server/config.ts'
import { openScriptDatabase } from './open-database.ts'
import { prepareDatabase } from '../server/bootstrap.ts'

const config = readConfig()
const engine = await openScriptDatabase('db:seed', config)
try {
  const report = await prepareDatabase(engine, { ...config, loadSample: true })
  if (report.sample) {
    console.log(`Loaded sample township ${report.sample.townName}: ${report.sample.areas} areas, ${report.sample.staff} staff.`)
  } else {
    console.log('The database already holds areas; the sample township was not loaded again.')
  }
  if (report.admin.created && 'generatedPassword' in report.admin && report.admin.generatedPassword) {
    console.log(`Created "admin" with the generated password: ${report.admin.generatedPassword} (shown only once)`)
  }
} finally {
  await engine.close()
}
