import type { Rng } from './activity-rng.ts'
import { intBetween, pick } from './random-draw.ts'

const SURNAMES = ['杨', '李', '赵', '段', '张', '王', '董', '尹', '严', '何', '苏', '施', '杜', '周', '陈', '马', '洪', '罗'] as const
const MALE_GIVEN = ['明', '强', '军', '勇', '平', '福', '文', '国', '金', '海', '斌', '林', '春', '华'] as const
const FEMALE_GIVEN = ['芳', '英', '琼', '兰', '丽', '红', '秀', '梅', '莲', '云', '娟', '华', '春', '凤'] as const

/**
 * An obviously anonymised name in the usual "某" form (杨某芳): a common
 * Dali surname, 某, and one given character.
 */
export function fakeName(rng: Rng, gender: 'male' | 'female' = rng() < 0.5 ? 'male' : 'female'): string {
  return `${pick(rng, SURNAMES)}某${pick(rng, gender === 'male' ? MALE_GIVEN : FEMALE_GIVEN)}`
}

/** A fake mobile number in the reserved-looking range 1380000xxxx. */
export function fakePhone(rng: Rng): string {
  return `1380000${String(intBetween(rng, 0, 9999)).padStart(4, '0')}`
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** The GB 11643 check character of the first 17 digits of an identity number. */
export function idNumberCheck(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

/**
 * A synthetic 18-digit identity number: region 532901 (Dali city), a valid
 * birth date, a sequence whose last digit is odd for men and even for women,
 * and a correct check character.
 */
export function fakeIdNumber(rng: Rng, birth: { year: number; month: number; day: number }, gender: 'male' | 'female'): string {
  const date = `${birth.year}${String(birth.month).padStart(2, '0')}${String(birth.day).padStart(2, '0')}`
  const sequence = intBetween(rng, 0, 49) * 2 + (gender === 'male' ? 1 : 0) + intBetween(rng, 0, 9) * 100
  const first17 = `532901${date}${String(sequence).padStart(3, '0')}`
  return first17 + idNumberCheck(first17)
}

/** A valid calendar date in `year` (days up to the month's length). */
export function birthDate(rng: Rng, year: number): { year: number; month: number; day: number } {
  const month = intBetween(rng, 1, 12)
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
  return { year, month, day: intBetween(rng, 1, days) }
}
