import type { FastifySchemaValidationError } from 'fastify/types/schema.js'
import type { Lang } from '../i18n/messages.ts'

/** The first property rejected by `additionalProperties: false`, if any. */
export function firstUnknownProperty(errors: FastifySchemaValidationError[]): string | undefined {
  const error = errors.find((candidate) => candidate.keyword === 'additionalProperties')
  return error?.params?.additionalProperty as string | undefined
}

/** A readable, localised summary of schema validation errors. */
export function describeValidationErrors(errors: FastifySchemaValidationError[], lang: Lang): string {
  return errors.map((error) => describeOne(error, lang)).join('; ')
}

function fieldOf(error: FastifySchemaValidationError): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.')
  const missing = error.params?.missingProperty as string | undefined
  if (missing) return path ? `${path}.${missing}` : missing
  return path || '(root)'
}

function describeOne(error: FastifySchemaValidationError, lang: Lang): string {
  const field = fieldOf(error)
  const p = error.params ?? {}
  if (lang === 'en') {
    if (error.keyword === 'additionalProperties') return `unknown field "${p.additionalProperty}"`
    return `${field} ${error.message ?? 'is invalid'}`
  }
  switch (error.keyword) {
    case 'required':
      return `缺少必填字段 ${field}`
    case 'type':
      return `${field} 的类型应为 ${typeName(String(p.type))}`
    case 'additionalProperties':
      return `不认识的字段“${p.additionalProperty}”`
    case 'minimum':
      return `${field} 不能小于 ${p.limit}`
    case 'maximum':
      return `${field} 不能大于 ${p.limit}`
    case 'minLength':
      return `${field} 至少 ${p.limit} 个字符`
    case 'maxLength':
      return `${field} 最多 ${p.limit} 个字符`
    case 'minItems':
      return `${field} 至少 ${p.limit} 项`
    case 'maxItems':
      return `${field} 最多 ${p.limit} 项`
    case 'enum':
    case 'const':
    case 'anyOf':
      return `${field} 的取值不在允许范围内${p.allowedValues ? `（${(p.allowedValues as unknown[]).join('、')}）` : ''}`
    case 'pattern':
    case 'format':
      return `${field} 的格式不正确`
    default:
      return `${field} 无效（${error.message ?? error.keyword}）`
  }
}

function typeName(type: string): string {
  const names: Record<string, string> = {
    string: '字符串',
    integer: '整数',
    number: '数字',
    boolean: '布尔值',
    object: '对象',
    array: '数组',
    null: '空值',
  }
  return type
    .split(',')
    .map((part) => names[part] ?? part)
    .join('或')
}
