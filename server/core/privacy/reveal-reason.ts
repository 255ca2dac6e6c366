import { Type } from 'typebox'
import { HttpError } from '../http/http-error.ts'
import type { MessageCode } from '../i18n/messages.ts'

/**
 * Fewest characters a reveal reason must have (case phones, key-person
 * identities). Counted in Unicode code points, as people count characters:
 * "核实身份信息" is 6 whether or not a character lies outside the BMP. Ajv's
 * `minLength` counts code points too, so the schema and the service agree.
 */
export const MIN_REVEAL_REASON_CHARS = 5

/** The `reason` of every reveal request body: why the caller needs the masked fields; kept in the audit log. */
export const RevealReasonSchema = Type.String({
  minLength: MIN_REVEAL_REASON_CHARS,
  maxLength: 500,
  description: 'Why you need it (at least 5 characters); kept in the audit log',
})

/**
 * The reason trimmed, or a 400 with `code` when, trimmed, it is shorter than
 * {@link MIN_REVEAL_REASON_CHARS} (the schema checks the untrimmed text only).
 */
export function checkedRevealReason(reason: string, code: MessageCode): string {
  const trimmed = reason.trim()
  if ([...trimmed].length < MIN_REVEAL_REASON_CHARS) throw new HttpError(400, code)
  return trimmed
}
