import { describe, expect, it } from 'vitest'
import { EXPORT_CRS } from '../../client/src/lib/features/boundaries/export-crs.ts'
import { SUPPORTED_CRS_URIS } from '../../server/core/ogc/crs.ts'

describe("the client's export CRS list", () => {
  it('offers only CRSs the server takes', () => {
    for (const uri of Object.values(EXPORT_CRS)) if (uri !== undefined) expect(SUPPORTED_CRS_URIS).toContain(uri)
  })
})
