// @ts-check
/**
 * Builds the blank embedded database of this install (PGlite with PostGIS
 * installed, nothing else) in `node_modules/.cache/gridatlas/`, unless it is
 * there: `server/core/db/blank-data-dir.js` says why. Run by `prepare`
 * (`npm install`); a failure is reported and ignored, as a first start then
 * creates the database itself.
 *
 * CLI: `node scripts/blank-database.mjs`
 */
import { blankDataDir, buildBlankDataDir } from '../server/core/db/blank-data-dir.js'

const started = performance.now()
const dir = blankDataDir()
try {
  if (await buildBlankDataDir(dir)) {
    console.log(`GridAtlas: built the blank embedded database (PostGIS) for first starts in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  } else {
    console.log('GridAtlas: the blank embedded database is ready (node_modules/.cache/gridatlas/)')
  }
} catch (error) {
  console.warn(`GridAtlas: building the blank embedded database failed; a first \`npm start\` will create the database itself.\n${String(error)}`)
}
