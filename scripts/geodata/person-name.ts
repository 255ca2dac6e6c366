import type { Rng } from './prng.ts'
import { FEMALE_FIRST, FEMALE_SECOND, MALE_FIRST, MALE_SECOND, SURNAMES } from './names.ts'

const pick = <T>(rng: Rng, list: T[]): T => list[Math.floor(rng() * list.length)]

/**
 * A believable Bai-area personal name not yet in `used` (which it extends):
 * a common Dali surname and a one- or two-character given name.
 */
export function personName(rng: Rng, used: Set<string>): string {
  for (;;) {
    const female = rng() < 0.45
    const first = female ? FEMALE_FIRST : MALE_FIRST
    const second = female ? FEMALE_SECOND : MALE_SECOND
    const given = rng() < 0.2 ? pick(rng, second) : pick(rng, first) + pick(rng, second)
    const name = pick(rng, SURNAMES) + given
    if (!used.has(name)) {
      used.add(name)
      return name
    }
  }
}
