import type { Lang, Template } from './messages.ts'

/** Error messages of database faults and jobs, in Simplified Chinese and English. */
export const FAULTS_MESSAGES = {} satisfies Record<string, Record<Lang, Template>>
