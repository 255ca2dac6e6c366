import { Ajv, type Options, type ValidateFunction } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'
import type { SchemaCompilations } from './schema-compilations.ts'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const COMMON: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false }

/** What Fastify hands an Ajv validator besides the data (`parentData`, `parentDataProperty`). */
type DataContext = Parameters<ValidateFunction>[1]

/**
 * Schema compiler with two Ajv instances: query strings, path parameters and
 * headers are coerced from text (`"10"` → 10), JSON bodies are not (a number
 * sent where a string is required is a 400, not silently converted). A missing
 * body is validated as `{}`, so routes whose fields are all optional accept it.
 *
 * Each schema is compiled when its route first validates a request, or when
 * `compilations` compiles what is left (after the server listens, and in
 * tests). Compiling all of them at start took a second of CPU on the 2-core
 * machine before the server could answer, while the database had already
 * opened (issue 11: a warm `npm start` in ≤ 3 s).
 */
export function createValidatorCompiler(compilations: SchemaCompilations): FastifySchemaCompiler<unknown> {
  let instances: { strict: Ajv; coercing: Ajv } | undefined
  // The Ajv instances too are made on first use (adding the formats costs some milliseconds).
  const ajv = () =>
    (instances ??= {
      strict: addFormats(new Ajv({ ...COMMON, coerceTypes: false })),
      coercing: addFormats(new Ajv({ ...COMMON, coerceTypes: 'array' })),
    })
  return ({ schema, httpPart, method, url }) => {
    const what = `${method} ${url} ${httpPart ?? ''}`
    if (httpPart !== 'body') {
      const compiled = compilations.add(what, () => ajv().coercing.compile(schema as object))
      // Ajv's own calling convention, which Fastify keeps for functions carrying `schemaEnv`: it passes the
      // request as parent data (so a coerced root value can be replaced) and reads `errors` after a `false`.
      const validate = (data: unknown, context?: DataContext) => {
        const ajvValidate = compiled()
        const valid = ajvValidate(data, context)
        validate.errors = ajvValidate.errors
        return valid
      }
      validate.errors = null as ValidateFunction['errors']
      validate.schemaEnv = LAZY_SCHEMA_ENV
      return validate
    }
    const compiled = compilations.add(what, () => ajv().strict.compile(schema as object))
    return (data: unknown) => {
      const validate = compiled()
      const value = data ?? {}
      return validate(value) ? { value } : { error: validate.errors ?? [] }
    }
  }
}

/**
 * Marks a lazy validator as Ajv-like for Fastify, which passes the data context
 * only to functions that have a `schemaEnv` (Ajv's compiled functions do).
 */
const LAZY_SCHEMA_ENV = Object.freeze({ lazy: true })
