/** Languages the API answers in. */
export type Lang = 'zh' | 'en'

/** Renders one message from its parameters. */
export type Template = (params: Record<string, unknown>) => string

/** A table of messages: code → one template per language. Each file of `catalogue/` is one. */
export type MessageTable = Record<string, Record<Lang, Template>>
