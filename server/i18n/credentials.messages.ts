import type { Lang, Template } from './messages.ts'

/** Error messages of sessions, tokens, login protection and second factor, in Simplified Chinese and English. */
export const CREDENTIALS_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
