import type { Db } from '../server/core/db/database.ts'
import { COUNTY_ROLES, TOWN_ROLES, type Role } from '../server/core/db/tables/auth.ts'
import { listTowns, type TownRow } from '../server/features/areas/index.ts'

/** A town code: the 9-digit county + township prefix, or the full 12-digit area code. */
const TOWN_CODE = /^\d{9}(\d{3})?$/

/**
 * The town of a user made by `npm run user:create`, from `--town` (a town id,
 * or its code: 12 digits, or the 9-digit county + township prefix).
 *
 * - County roles have no town: `--town` is refused.
 * - Town roles need one: `--town` may be left out only while there is a single town.
 * - Administrators without `--town` are county administrators (null).
 *
 * Errors name the towns there are, so the operator can retry at once. Run it
 * in the system scope (every town visible).
 */
export async function resolveTownOption(db: Db, role: Role, option: string | undefined): Promise<number | null> {
  const towns = await listTowns(db)
  if ((COUNTY_ROLES as readonly Role[]).includes(role)) {
    if (option !== undefined) throw new Error(`The county role ${role} covers the whole county and has no town: leave --town out.`)
    return null
  }
  if (option !== undefined) {
    const town = findTown(towns, option.trim())
    if (!town) throw new Error(`No town "${option}". Towns (id code name): ${describe(towns)}.`)
    return town.id
  }
  if (!(TOWN_ROLES as readonly Role[]).includes(role)) return null
  if (towns.length === 1) return towns[0].id
  throw new Error(`--town is required for role ${role}: there are ${towns.length} towns (id code name): ${describe(towns)}.`)
}

function findTown(towns: TownRow[], option: string): TownRow | undefined {
  if (TOWN_CODE.test(option)) return towns.find((town) => town.code === option || town.code.slice(0, 9) === option)
  if (/^\d+$/.test(option)) return towns.find((town) => town.id === Number(option))
  return undefined
}

function describe(towns: TownRow[]): string {
  return towns.map((town) => `${town.id} ${town.code} ${town.name}`).join('; ')
}
