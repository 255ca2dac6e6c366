import type { BoundarySaveResult } from './edit.service.ts'

/** The API view of a save or validation outcome. */
export function toBoundaryResultDto(result: BoundarySaveResult) {
  return {
    valid: result.problems.length === 0,
    changeId: result.changeId,
    problems: result.problems,
    warnings: result.warnings,
    areas: result.areas,
    retired: result.retired,
    normalised: Object.fromEntries(Object.entries(result.normalised).map(([key, value]) => [String(key), value])),
  }
}
