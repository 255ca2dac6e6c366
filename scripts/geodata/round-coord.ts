/** Decimal places kept in every written coordinate (about 1 cm). */
export const COORD_DECIMALS = 7

const FACTOR = 10 ** COORD_DECIMALS

/** Rounds one coordinate value to {@link COORD_DECIMALS} places (idempotent). */
export function roundCoord(value: number): number {
  const rounded = Math.round(value * FACTOR) / FACTOR
  return rounded === 0 ? 0 : rounded
}
