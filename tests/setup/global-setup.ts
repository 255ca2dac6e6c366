import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { adminQuery, buildPgliteTemplate, buildPostgresTemplate, databasesNamedAfter, pgliteTemplateFile, postgresTemplateName } from './template.ts'
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
    /** File written when the template is built: "ok", or why the build failed (tests/support/template-ready.ts waits for it). */
    templateReadyFile: string
  }
}

/**
 * Builds the template database once per run — a PGlite dump and its unpacked
 * folder, or a template database on the server named by TEST_DATABASE_URL —
 * in the background: the run starts at once, and the files that need no
 * template (unit and geodata files, and those opening databases of their own)
 * run meanwhile; the others wait for {@link ProvidedContext.templateReadyFile}
 * (tests/support/template-ready.ts). A fresh PGlite template takes 25–60 s
 * (23 migrations and the sample township), which both workers used to wait
 * out idle, on every CI run.
 */
export default async function setup(project: TestProject) {
  const url = process.env.TEST_DATABASE_URL
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'gridatlas-test-'))
  const readyFile = join(scratch, 'template-ready')
  project.provide('templateReadyFile', readyFile)
  project.provide('pgliteScratchDir', url ? '' : scratch)
  let build: Promise<unknown>
  let cleanUp: () => Promise<void>
  if (!url) {
    const dump = pgliteTemplateFile()
    project.provide('pgliteTemplate', dump)
    project.provide('pgliteTemplateDir', dump.replace(/\.tar$/, '.dir'))
    project.provide('pgTemplate', '')
    build = buildPgliteTemplate(dump).then(pgliteTemplateDir)
    cleanUp = async () => {}
  } else {
    const template = postgresTemplateName()
    project.provide('pgTemplate', template)
    project.provide('pgliteTemplate', '')
    project.provide('pgliteTemplateDir', '')
    build = buildPostgresTemplate(url, template)
    cleanUp = async () => {
      // Test files keep their databases for the next file (tests/support/database-reset.ts); the last ones are left at the end.
      for (const name of await databasesNamedAfter(url, template)) await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
    }
  }
  // Written whole, then renamed: a reader never sees half of it.
  const settle = (text: string) => {
    writeFileSync(`${readyFile}.tmp`, text)
    renameSync(`${readyFile}.tmp`, readyFile)
  }
  const built = build.then(
    () => settle('ok'),
    (error: unknown) => settle(`The test template database could not be built: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  )
  return async () => {
    await built
    await cleanUp()
    rmSync(scratch, { recursive: true, force: true })
  }
}
