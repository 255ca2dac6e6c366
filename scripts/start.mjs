// @ts-check
/**
 * `npm start`: builds the client and the server only if their sources changed
 * since the last build (scripts/build-if-changed.mjs), then runs the built
 * server in this same process — plain Node, no TypeScript loader, so a warm
 * start pays neither a client build nor tsx (issue 11). JavaScript for the same
 * reason as build-if-changed.mjs.
 */
import { pathToFileURL } from 'node:url'
import { buildIfChanged, SERVER_ENTRY } from './build-if-changed.mjs'

await buildIfChanged('client')
await buildIfChanged('server')
// Stack traces point at server/*.ts, not at the bundle.
process.setSourceMapsEnabled(true)
await import(pathToFileURL(SERVER_ENTRY).href)
