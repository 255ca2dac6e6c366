import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { SchemaCompilations } from '../../server/core/http/schema-compilations.ts'
import { createValidatorCompiler } from '../../server/core/http/validator.ts'

/**
 * Route schemas are compiled on first use (server/core/http/schema-compilations.ts),
 * not while the app is built: requests are still validated, coerced and
 * serialized by them, and a schema that does not compile is still reported.
 */
describe('route schemas compiled on first use', () => {
  let app: FastifyInstance | undefined

  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  async function appWith(routes: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; compilations: SchemaCompilations }> {
    const compilations = new SchemaCompilations()
    app = Fastify({ schemaController: { compilersFactory: { buildSerializer: compilations.serializerFactory() } } })
    app.setValidatorCompiler(createValidatorCompiler(compilations))
    routes(app)
    await app.ready()
    return { app, compilations }
  }

  it('compiles nothing while the app is built, then validates, coerces and serializes as before', async () => {
    const { app, compilations } = await appWith((app) => {
      app.post(
        '/things/:id',
        {
          schema: {
            params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
            querystring: { type: 'object', properties: { limit: { type: 'integer', default: 10 } } },
            body: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false },
            response: { 200: { type: 'object', properties: { id: { type: 'integer' }, limit: { type: 'integer' }, name: { type: 'string' } } } },
          },
        },
        async (request) => ({ ...(request.params as object), ...(request.query as object), ...(request.body as object), secret: 'not in the schema' }),
      )
    })
    // params, querystring, body and the 200 reply: none compiled yet.
    expect(compilations.pendingCount).toBe(4)

    const ok = await app.inject({ method: 'POST', url: '/things/7', payload: { name: 'a' } })
    expect(ok.statusCode).toBe(200)
    // Coerced from text, the default filled in, the field outside the reply schema left out.
    expect(ok.json()).toEqual({ id: 7, limit: 10, name: 'a' })
    expect(compilations.pendingCount).toBe(0)

    expect((await app.inject({ method: 'POST', url: '/things/x', payload: { name: 'a' } })).statusCode).toBe(400)
    expect((await app.inject({ method: 'POST', url: '/things/7?limit=many', payload: { name: 'a' } })).statusCode).toBe(400)
    // Bodies are not coerced: a number is not a string.
    expect((await app.inject({ method: 'POST', url: '/things/7', payload: { name: 5 } })).statusCode).toBe(400)
    expect((await app.inject({ method: 'POST', url: '/things/7', payload: { name: 'a', extra: 1 } })).statusCode).toBe(400)
  })

  it('reports a schema that does not compile, naming its route, and answers 500 there', async () => {
    const { app, compilations } = await appWith((app) => {
      app.get('/broken', { schema: { querystring: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({}))
      app.get('/fine', { schema: { querystring: { type: 'object', properties: { a: { type: 'string' } } } } }, async () => ({ ok: true }))
    })
    expect((await app.inject('/fine?a=1')).statusCode).toBe(200)
    expect((await app.inject('/broken?a=1')).statusCode).toBe(500)
    expect(() => compilations.compileAll()).toThrow(/GET \/broken querystring/)
  })

  it('compiles what is left in the background, reporting failures', async () => {
    const { compilations } = await appWith((app) => {
      for (let i = 0; i < 30; i += 1) app.get(`/r${i}`, { schema: { querystring: { type: 'object', properties: { a: { type: 'string' } } } } }, async () => ({}))
      app.get('/broken', { schema: { querystring: { type: 'object', properties: { a: { type: 'no-such-type' } } } } }, async () => ({}))
    })
    // GET routes get a HEAD twin with the same schemas.
    expect(compilations.pendingCount).toBe(62)
    const failures: string[] = []
    await compilations.compileInBackground((error) => failures.push(error.message))
    expect(compilations.pendingCount).toBe(0)
    expect(failures).toHaveLength(2)
    expect(failures[0]).toMatch(/\/broken querystring/)
  })
})
