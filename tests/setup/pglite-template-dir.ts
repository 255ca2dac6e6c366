import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { openEngine } from '../../server/core/db/engine.ts'

/**
 * The PGlite template (a dump, see {@link buildPgliteTemplate}) unpacked once
 * into a data folder beside it, which test files copy and open by path.
 *
 * Why: opening PGlite from the dump (`loadDataDir`) unpacks 66 MB through a
 * Blob stream in every test file — about a quarter of the CPU of each open
 * (profiled: Blob reads, Buffer concat, untar). Copying a folder is a plain file
 * copy. The folder is keyed like the dump, so it is never stale.
 */
export async function pgliteTemplateDir(dumpFile: string): Promise<string> {
  const dir = dumpFile.replace(/\.tar$/, '.dir')
  if (existsSync(`${dir}/PG_VERSION`)) return dir
  const building = `${dir}.${process.pid}.tmp`
  rmSync(building, { recursive: true, force: true })
  const engine = await openEngine({ dataDir: building, loadDataDir: new Blob([readFileSync(dumpFile)]) })
  await engine.close()
  rmSync(dir, { recursive: true, force: true })
  renameSync(building, dir)
  return dir
}
