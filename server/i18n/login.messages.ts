import type { Lang, Template } from './messages.ts'

/** Error messages of login protection, password rules and the second factor, in Simplified Chinese and English. */
export const LOGIN_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
