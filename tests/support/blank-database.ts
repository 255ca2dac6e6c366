import { inject } from 'vitest'
import type { DbEngine, EngineOptions } from '../../server/core/db/engine.ts'
import { openBlankPglite } from '../setup/template.ts'
import { blankDatabaseReady } from './template-ready.ts'

/**
 * A new embedded database holding only PostGIS, as a fresh install finds
 * before its first migration: a copy of the run's blank folder
 * (tests/setup/template.ts, `buildPgliteBlank`), removed when the engine
 * closes. For files that test what happens on an empty database (migrations,
 * the county sample, the engine itself); embedded runs only.
 */
export async function openBlankEngine(options: Omit<EngineOptions, 'dataDir' | 'databaseUrl'> = {}): Promise<DbEngine> {
  await blankDatabaseReady()
  return openBlankPglite(inject('pgliteBlankDir'), inject('pgliteScratchDir'), options)
}
