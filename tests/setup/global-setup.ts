import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { adminQuery, buildPgliteTemplate, buildPostgresTemplate, databasesNamedAfter } from './template.ts'
import { pgliteTemplateDir } from './pglite-template-dir.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the PGlite template dump (embedded runs). */
    pgliteTemplate: string
    /** The same template unpacked as a PGlite data folder, which test files copy (embedded runs). */
    pgliteTemplateDir: string
    /** This run's folder for those copies (in memory where /dev/shm exists), removed at the end even if a file was killed. */
    pgliteScratchDir: string
    /** Name of the PostgreSQL template database (when TEST_DATABASE_URL is set). */
    pgTemplate: string
  }
}

/**
 * Builds the template database once per run: a PGlite dump, or a template
 * database on the server named by TEST_DATABASE_URL.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL
  if (!url) {
    const dump = await buildPgliteTemplate()
    const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gridatlas-test-'))
    project.provide('pgliteTemplate', dump)
    project.provide('pgliteTemplateDir', await pgliteTemplateDir(dump))
    project.provide('pgliteScratchDir', scratch)
    project.provide('pgTemplate', '')
    return () => rmSync(scratch, { recursive: true, force: true })
  }
  const template = await buildPostgresTemplate(url)
  project.provide('pgTemplate', template)
  project.provide('pgliteTemplate', '')
  project.provide('pgliteTemplateDir', '')
  project.provide('pgliteScratchDir', '')
  return async () => {
    // Test files keep their databases for the next file (tests/support/database-reset.ts); the last ones are left at the end.
    for (const name of await databasesNamedAfter(url, template)) await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
  }
}
