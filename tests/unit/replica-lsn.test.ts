import { describe, expect, it } from 'vitest'
import { parseLsn } from '../../server/core/db/replica.ts'

describe('parseLsn (read-after positions from cookies and headers)', () => {
  it('orders WAL positions across the 32-bit boundary', () => {
    expect(parseLsn('0/FFFFFFFF')! < parseLsn('1/0')!).toBe(true)
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) | 0xb374d848n)
  })

  it('ignores anything that is not a position (a forged cookie only costs a primary read)', () => {
    for (const text of ['', 'nonsense', '1/', '/1', '123456789/0', '1/2; drop', undefined, null]) expect(parseLsn(text)).toBeUndefined()
  })
})
