import type { MessageCode } from '../i18n/messages.ts'

/** An error the API answers with `{ code, message }` at `status`, localised per request. */
export class HttpError extends Error {
  readonly status: number
  readonly code: MessageCode
  readonly params: Record<string, unknown>
  /** Extra fields merged into the response body (e.g. the current state on a conflict). */
  readonly extra?: Record<string, unknown>

  constructor(status: number, code: MessageCode, params: Record<string, unknown> = {}, extra?: Record<string, unknown>) {
    super(code)
    this.status = status
    this.code = code
    this.params = params
    this.extra = extra
  }
}
