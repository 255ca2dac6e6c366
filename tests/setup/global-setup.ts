import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { adminQuery, buildPgliteBlank, buildPgliteTemplate, buildPostgresTemplate, databasesNamedAfter, pgliteBlankDir, pgliteTemplateFile, postgresTemplateName } from './template.ts'
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
    /** A PGlite data folder holding only PostGIS, which files needing a fresh database copy (embedded runs; tests/setup/template.ts). */
    pgliteBlankDir: string
    /** Like {@link templateReadyFile}, for {@link pgliteBlankDir}: built first, the template starts from it. */
    blankReadyFile: string
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
  const blankReadyFile = join(scratch, 'blank-ready')
  project.provide('templateReadyFile', readyFile)
  project.provide('blankReadyFile', blankReadyFile)
  project.provide('pgliteScratchDir', url ? '' : scratch)
  let build: Promise<unknown>
  let cleanUp: () => Promise<void>
  if (!url) {
    const dump = pgliteTemplateFile()
    project.provide('pgliteTemplate', dump)
    project.provide('pgliteTemplateDir', dump.replace(/\.tar$/, '.dir'))
    project.provide('pgTemplate', '')
    const blankDir = pgliteBlankDir()
    project.provide('pgliteBlankDir', blankDir)
    const blank = buildPgliteBlank(blankDir)
    void blank.then(
      () => settle(blankReadyFile, 'ok'),
      (error: unknown) => settle(blankReadyFile, `The blank test database could not be built: ${errorText(error)}`),
    )
    build = blank.then(() => buildPgliteTemplate(dump, blankDir, scratch)).then(pgliteTemplateDir)
    cleanUp = async () => {}
  } else {
    const template = postgresTemplateName()
    project.provide('pgTemplate', template)
    project.provide('pgliteTemplate', '')
    project.provide('pgliteTemplateDir', '')
    project.provide('pgliteBlankDir', '')
    settle(blankReadyFile, 'ok')
    build = buildPostgresTemplate(url, template)
    cleanUp = async () => {
      // Test files keep their databases for the next file (tests/support/database-reset.ts); the last ones are left at the end.
      for (const name of await databasesNamedAfter(url, template)) await adminQuery(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await adminQuery(url, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`)
    }
  }
  const built = build.then(
    () => settle(readyFile, 'ok'),
    (error: unknown) => settle(readyFile, `The test template database could not be built: ${errorText(error)}`),
  )
  return async () => {
    await built
    await cleanUp()
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Writes a ready file whole, then renames it: a reader never sees half of it. */
function settle(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text)
  renameSync(`${file}.tmp`, file)
}

function errorText(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}
