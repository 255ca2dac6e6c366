import type { Colour } from '../../core/db/tables/key-person.ts'

/** How the people of one key-person category look: how many, how closely watched, who, and how often away. */
export interface KeyPersonProfile {
  category: string
  share: number
  colours: Readonly<Record<Colour, number>>
  /** Probability of being a man. */
  male: number
  /** Age range at the snapshot, in years. */
  ages: readonly [number, number]
  /** Probability of being temporarily away (外出, e.g. working elsewhere). */
  away: number
  /** Probability of having been released from management (解除) during the year. */
  released: number
  notes: readonly string[]
}

/**
 * The eight categories of DOMAIN.md: elderly people living alone and
 * left-behind children are the most numerous and mostly green; community-
 * corrections subjects, people with severe mental disorders and those in
 * drug rehabilitation are few and mostly red or orange.
 */
export const KEY_PERSON_PROFILES: readonly KeyPersonProfile[] = [
  {
    category: 'elderly_alone',
    share: 34,
    colours: { red: 1, orange: 6, yellow: 28, green: 65 },
    male: 0.4,
    ages: [70, 92],
    away: 0,
    released: 0.03,
    notes: ['独居，子女在外务工', '行动不便，需定期上门', '患有慢性病，按时服药', ''],
  },
  {
    category: 'left_behind_child',
    share: 24,
    colours: { red: 1, orange: 5, yellow: 29, green: 65 },
    male: 0.5,
    ages: [6, 16],
    away: 0,
    released: 0.04,
    notes: ['父母在外务工，由祖父母照看', '父母在昆明务工，寄宿就读', ''],
  },
  {
    category: 'hardship',
    share: 14,
    colours: { red: 1, orange: 6, yellow: 33, green: 60 },
    male: 0.5,
    ages: [30, 80],
    away: 0.05,
    released: 0.06,
    notes: ['因病致困，已纳入低保', '家中有残疾人，需重点帮扶', ''],
  },
  {
    category: 'severe_mental_disorder',
    share: 7,
    colours: { red: 20, orange: 40, yellow: 30, green: 10 },
    male: 0.55,
    ages: [20, 70],
    away: 0.03,
    released: 0.02,
    notes: ['监护人为其配偶，按时服药', '病情稳定，定期随访', ''],
  },
  {
    category: 'released_prisoner',
    share: 7,
    colours: { red: 5, orange: 25, yellow: 45, green: 25 },
    male: 0.85,
    ages: [25, 65],
    away: 0.2,
    released: 0.1,
    notes: ['已安置就业', '帮教小组已落实', ''],
  },
  {
    category: 'at_risk_youth',
    share: 6,
    colours: { red: 5, orange: 25, yellow: 45, green: 25 },
    male: 0.7,
    ages: [14, 25],
    away: 0.15,
    released: 0.08,
    notes: ['辍学在家，已联系学校劝返', '闲散青少年，已结对帮扶', ''],
  },
  {
    category: 'community_corrections',
    share: 4,
    colours: { red: 30, orange: 45, yellow: 20, green: 5 },
    male: 0.85,
    ages: [22, 60],
    away: 0.05,
    released: 0.15,
    notes: ['社区矫正期内，按时报到', '矫正期即将届满', ''],
  },
  {
    category: 'drug_rehabilitation',
    share: 4,
    colours: { red: 15, orange: 45, yellow: 30, green: 10 },
    male: 0.85,
    ages: [22, 55],
    away: 0.1,
    released: 0.05,
    notes: ['社区康复期内，定期尿检', ''],
  },
]
