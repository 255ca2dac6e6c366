import { Ajv, type Options } from 'ajv'
import addFormatsModule from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv

const COMMON: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false }

/**
 * Schema compiler with two Ajv instances: query strings, path parameters and
 * headers are coerced from text (`"10"` → 10), JSON bodies are not (a number
 * sent where a string is required is a 400, not silently converted). A missing
 * body is validated as `{}`, so routes whose fields are all optional accept it.
 */
export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = addFormats(new Ajv({ ...COMMON, coerceTypes: false }))
  const coercing = addFormats(new Ajv({ ...COMMON, coerceTypes: 'array' }))
  return ({ schema, httpPart }) => {
    if (httpPart !== 'body') return coercing.compile(schema as object)
    const validate = strict.compile(schema as object)
    return (data: unknown) => {
      const value = data ?? {}
      return validate(value) ? { value } : { error: validate.errors ?? [] }
    }
  }
}
