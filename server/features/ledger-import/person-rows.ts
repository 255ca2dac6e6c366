import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { AuditActor } from '../../core/audit/audit.repository.ts'
import { maskIdNumber, maskName } from '../../core/privacy/mask.ts'
import { registerKeyPerson } from '../key-persons/index.ts'
import { PERSON_FIELDS } from './columns.ts'
import { personWithIdNumberExists } from './locations.repository.ts'
import type { RowLocation } from './locate.ts'
import { keyOf, limited, required, type Labels, type RowText } from './row-values.ts'

const F = Object.fromEntries(PERSON_FIELDS.map((f) => [f.key, f]))

const GENDERS: Labels = { male: { zh: '男', en: 'male' }, female: { zh: '女', en: 'female' } }
const COLOURS: Labels = {
  red: { zh: '红色', en: 'red' },
  orange: { zh: '橙色', en: 'orange' },
  yellow: { zh: '黄色', en: 'yellow' },
  green: { zh: '绿色', en: 'green' },
}
/** Released persons are not imported: a release is a dated step of the register (and starts the retention clock). */
const STATUSES: Labels = { in_management: { zh: '在管', en: 'in management' }, away: { zh: '外出', en: 'away' } }

/** What every person row of one import shares. */
export interface PersonImportContext {
  categories: Array<{ key: string; label_zh: string; label_en: string }>
  /** Row number of each identity number seen so far in the file. */
  seen: Map<string, number>
}

/**
 * Checks one key-person row and registers it through the key-persons feature
 * (its category, grid-scope and audit rules: the registration writes its own
 * `create` audit entry, as a registration through the API does). Throws an
 * HttpError whose message is the row's refusal reason. The summary is masked as
 * the register shows a person (surname only, last four of the identity number),
 * never the phone, address or exact household point.
 */
export async function importPersonRow(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  text: RowText,
  location: RowLocation,
  context: PersonImportContext,
  lang: Lang,
  now: Date,
  rowNumber: number,
): Promise<{ id: number; notes: HttpError[]; summary: Record<string, string> }> {
  const name = limited(required(text, F.name, lang), 50, F.name, lang)
  const genderText = text('gender')
  const gender = genderText ? (keyOf(GENDERS, genderText, F.gender, lang, { m: 'male', f: 'female', 男性: 'male', 女性: 'female' }) as 'male' | 'female') : null
  const birthText = text('birthYear')
  const birthYear = birthText ? Number(/^(\d{4})/.exec(birthText)?.[1] ?? Number.NaN) : null
  if (birthYear !== null && !(birthYear >= 1900 && birthYear <= now.getUTCFullYear())) {
    throw new HttpError(400, 'ledger_row_bad_value', { field: F.birthYear.label[lang], value: birthText, allowed: '1900–' + now.getUTCFullYear() })
  }
  const idText = text('idNumber')?.replace(/\s/g, '').toUpperCase()
  if (idText !== undefined && !/^[0-9]{17}[0-9X]$/.test(idText)) {
    throw new HttpError(400, 'ledger_row_bad_value', { field: F.idNumber.label[lang], value: maskIdNumber(idText), allowed: lang === 'zh' ? '18 位身份证号' : '18-character identity number' })
  }
  const phone = text('phone')?.replace(/\s/g, '')
  if (phone !== undefined && !/^[0-9+-]{5,20}$/.test(phone)) {
    throw new HttpError(400, 'ledger_row_bad_value', { field: F.phone.label[lang], value: '…', allowed: lang === 'zh' ? '5–20 位数字' : '5–20 digits' })
  }
  const address = text('address')
  if (address !== undefined) limited(address, 200, F.address, lang)
  const categoryLabels: Labels = Object.fromEntries(context.categories.map((c) => [c.key, { zh: c.label_zh, en: c.label_en }]))
  const category = keyOf(categoryLabels, required(text, F.category, lang), F.category, lang)
  const colour = keyOf(COLOURS, required(text, F.colour, lang), F.colour, lang, { 红: 'red', 橙: 'orange', 黄: 'yellow', 绿: 'green' }) as 'red'
  const statusText = text('status')
  const status = statusText ? (keyOf(STATUSES, statusText, F.status, lang) as 'in_management' | 'away') : 'in_management'
  const note = limited(text('note') ?? '', 2000, F.note, lang)
  if (idText !== undefined) {
    const earlier = context.seen.get(idText)
    if (earlier !== undefined) throw new HttpError(409, 'ledger_row_duplicate_in_file', { row: earlier })
    if (await personWithIdNumberExists(db, idText)) throw new HttpError(409, 'ledger_row_duplicate_person')
  }
  const row = await registerKeyPerson(
    db,
    user,
    actor,
    { name, gender, birthYear, idNumber: idText ?? null, phone: phone ?? null, address: address ?? null, category, colour, status, note, household: { lon: location.lon, lat: location.lat } },
    now,
  )
  if (idText !== undefined) context.seen.set(idText, rowNumber)
  return {
    id: row.id,
    notes: [],
    summary: {
      name: maskName(name),
      idNumber: idText ? maskIdNumber(idText) : '',
      category: categoryLabels[category][lang],
      colour: COLOURS[colour][lang],
    },
  }
}
