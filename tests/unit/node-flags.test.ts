import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const scripts = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts

/** The `--flags` a package.json script passes to node. */
function nodeFlags(script: string): string[] {
  const [command, ...args] = script.split(/\s+/)
  expect(command).toBe('node')
  return args.filter((arg) => arg.startsWith('--') && arg !== '--import')
}

/**
 * The benchmarks run the app inside their own process: it must run under
 * the V8 settings `npm start` gives the server (README, "A larger young
 * generation"), or their figures describe another server.
 */
describe('node flags', () => {
  it('npm start gives the server a 64 MB young generation semi-space', () => {
    expect(nodeFlags(scripts.start)).toContain('--max-semi-space-size=64')
  })

  it('npm run bench runs Node with the same flags as npm start', () => {
    expect(nodeFlags(scripts.bench)).toEqual(nodeFlags(scripts.start))
  })
})
