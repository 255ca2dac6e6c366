/**
 * Import rules of GridAtlas (CONVENTIONS.md), checked in CI by `npm run lint:deps`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make load order fragile; put the shared interface in a leaf module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-feature',
      severity: 'error',
      comment: 'server/core is infrastructure; features build on it, never the other way.',
      from: { path: '^server/core/' },
      to: { path: '^server/(features|seed)/|^server/(app|main|bootstrap|config)\\.ts$' },
    },
    {
      name: 'no-upward-import',
      severity: 'error',
      comment: 'Features and core do not import the application shell (app.ts, main.ts, bootstrap.ts).',
      from: { path: '^server/(core|features)/' },
      to: { path: '^server/(app|main|bootstrap)\\.ts$' },
    },
    {
      name: 'feature-through-index',
      severity: 'error',
      comment: 'A feature uses another feature only through that feature\'s index.ts.',
      from: { path: '^server/features/([^/]+)/' },
      to: { path: '^server/features/([^/]+)/', pathNot: ['^server/features/$1/', '^server/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-production-import-of-tooling',
      severity: 'error',
      comment: 'The server and client never import scripts, tests or benchmarks.',
      from: { path: '^(server|client)/' },
      to: { path: '^(scripts|tests|bench)/' },
    },
    {
      name: 'client-uses-server-types-only',
      severity: 'error',
      comment: 'The client may import the API contract (schemas) from the server, as types only.',
      from: { path: '^client/' },
      to: { path: '^server/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'server-does-not-import-client',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: '^client/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.svelte'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
