import type { Lang, Template } from './messages.ts'

/** Error messages of aggregates and masking, in Simplified Chinese and English. */
export const PRIVACY_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
