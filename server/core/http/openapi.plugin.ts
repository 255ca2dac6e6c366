import fp from 'fastify-plugin'
import swagger from '@fastify/swagger'

/** Collects every route's schema into an OpenAPI 3.0 document (served by the OGC landing routes). */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'GridAtlas API (网格治理一张图)',
          version: '0.1.0',
          description:
            'OGC API – Features (Part 1 Core, GeoJSON) for township areas and grids, plus GridAtlas routes. ' +
            'Authenticate with the session cookie from POST /api/auth/login or a personal API token ' +
            '(Authorization: Bearer gat_…).',
          license: { name: 'Apache-2.0' },
        },
        servers: [{ url: '/' }],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', description: 'Personal API token (gat_…)' },
            cookieAuth: { type: 'apiKey', in: 'cookie', name: 'ga_session' },
          },
        },
        security: [{ bearerAuth: [] }, { cookieAuth: [] }],
        tags: [
          { name: 'OGC API – Features', description: 'Capabilities and data (OGC API – Features – Part 1: Core)' },
          { name: 'Auth', description: 'Sign-in, sessions, API tokens' },
          { name: 'Users', description: 'User administration' },
          {
            name: 'Security administration',
            description: "Security administrator (安全管理员): users' sessions and tokens, disabling, password resets, roles, administrator accounts; all audited",
          },
          { name: 'Areas', description: 'Township, villages and grids' },
          { name: 'Boundaries', description: 'Drawing and adjusting grid boundaries: validation, versioned edits, split, merge, lineage' },
          { name: 'Analytics', description: 'Leadership risk map (风险一张图): risk scores, bins, dispute clusters, KPIs, trends, vector tiles' },
          { name: 'County', description: 'County views (县级): escalation of cases from the towns (事件上报), KPI table by town' },
        ],
      },
      hideUntagged: false,
    })
  },
  { name: 'openapi' },
)
