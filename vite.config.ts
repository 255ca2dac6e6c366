import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { precompress } from './scripts/vite-precompress.ts'
import DurationSequencer from './tests/setup/sequencer.ts'

export default defineConfig({
  root: 'client',
  plugins: [svelte(), precompress()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/basemap': 'http://127.0.0.1:3000',
    },
  },
  test: {
    root: '.',
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global-setup.ts'],
    // Files that copy the template database wait for its background build here (not in a hook).
    setupFiles: ['tests/setup/wait-for-template.ts'],
    pool: 'forks',
    // One module graph per worker, not per file: re-importing the server in every file cost
    // ~3 CPU-s a file (8 api files A/B: 53 -> 28 CPU-s). Files share no state but modules:
    // each opens its own app and database copy.
    isolate: false,
    maxWorkers: 2,
    // Longest files first, by tests/durations.json (see the sequencer for why not vitest's cache).
    sequence: { sequencer: DurationSequencer },
    fileParallelism: true,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
