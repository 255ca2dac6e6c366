import type { AreaRecord } from './area.ts'
import type { Rng } from './prng.ts'
import { personName } from './person-name.ts'

/** A duty of a staff member on an area. */
export interface StaffDuty {
  areaCode: string
  duty: 'leader' | 'worker'
}

/** One synthetic staff member as written to `staff.json`. */
export interface StaffEntry {
  key: string
  name: string
  phone: string
  duties: StaffDuty[]
}

/** How staff keys and (fake) phone numbers start: 's' and '1380000' for the sample town. */
export interface StaffNumbering {
  keyPrefix: string
  /** Seven digits; the staff serial (4 digits) completes the 11-digit number. */
  phonePrefix: string
}

/**
 * Staff of the town, village by village: the village head (leader of the
 * village); per base grid a grid leader (网格长) and one or two grid workers
 * (网格员, two when it has five or more fine grids); per fine grid one worker,
 * a worker sometimes serving two neighbouring fine grids of the same base
 * grid. Keys run s0001…, phone numbers 1380000xxxx (obviously fake).
 */
export function buildStaff(
  rng: Rng,
  villages: AreaRecord[],
  baseGrids: AreaRecord[],
  fineGrids: AreaRecord[],
  numbering: StaffNumbering = { keyPrefix: 's', phonePrefix: '1380000' },
): StaffEntry[] {
  const used = new Set<string>()
  const staff: StaffEntry[] = []
  const add = (duties: StaffDuty[]) => {
    const n = staff.length + 1
    const serial = String(n).padStart(4, '0')
    staff.push({ key: `${numbering.keyPrefix}${serial}`, name: personName(rng, used), phone: `${numbering.phonePrefix}${serial}`, duties })
  }
  for (const village of villages) {
    add([{ areaCode: village.code, duty: 'leader' }])
    for (const base of baseGrids.filter((b) => b.parentCode === village.code)) {
      const fines = fineGrids.filter((f) => f.parentCode === base.code)
      add([{ areaCode: base.code, duty: 'leader' }])
      const workers = fines.length >= 5 ? 2 : 1
      for (let i = 0; i < workers; i++) add([{ areaCode: base.code, duty: 'worker' }])
      for (let i = 0; i < fines.length; ) {
        const pair = i + 1 < fines.length && rng() < 0.3
        const served = fines.slice(i, pair ? i + 2 : i + 1)
        add(served.map((f) => ({ areaCode: f.code, duty: 'worker' as const })))
        i += served.length
      }
    }
  }
  return staff
}
