// @ts-check
/**
 * `npm start`: builds the client and the server only if their sources changed
 * since the last build (scripts/build-if-changed.mjs), then runs the built
 * server in this same process — plain Node, no TypeScript loader, so a warm
 * start pays neither a client build nor tsx (issue 11). JavaScript for the same
 * reason as build-if-changed.mjs.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { buildIfChanged, SERVER_ENTRY } from './build-if-changed.mjs'
import { prespawnPglite } from '../server/core/db/pglite-spawn.js'

// The embedded database starts opening in its thread now, while the build is
// checked and the server's code loads; the server adopts the thread (pglite-spawn.js).
// The folder is resolved as the server's config does (server/config.ts).
if (!process.env.DATABASE_URL) prespawnPglite(resolve(process.env.DATA_DIR ?? 'data'))
await buildIfChanged('client')
await buildIfChanged('server')
// Stack traces point at server/*.ts, not at the bundle.
process.setSourceMapsEnabled(true)
await import(pathToFileURL(SERVER_ENTRY).href)
