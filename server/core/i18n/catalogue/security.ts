import type { Lang, Template } from '../messages.ts'

/** Error messages of three administrators, access, in Simplified Chinese and English. */
export const SECURITY_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
