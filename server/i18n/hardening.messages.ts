import type { Lang, Template } from './messages.ts'

/** Error messages of browser hardening and limits, in Simplified Chinese and English. */
export const HARDENING_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
