import { describe, expect, it } from 'vitest'
import { utf8Body } from '../../server/core/http/utf8-body.ts'
import { collectionBody } from '../../server/core/postgis/geojson.ts'

describe('utf8Body', () => {
  it('gives the UTF-8 bytes of the joined parts: ASCII, Chinese, astral characters, empty parts', () => {
    const parts = ['{"name":"', '喜洲镇', '', '"', ',"emoji":"🗺️"', '}', 'x'.repeat(5000), '弓箭村'.repeat(2000)]
    const body = utf8Body(parts)
    expect(body.equals(Buffer.from(parts.join(''), 'utf8'))).toBe(true)
    expect(body.byteLength).toBe(Buffer.byteLength(parts.join(''), 'utf8'))
  })

  it('writes a lone surrogate as the replacement character, as Buffer.from does', () => {
    const parts = ['a', '\ud800', 'b']
    expect(utf8Body(parts).equals(Buffer.from(parts.join(''), 'utf8'))).toBe(true)
  })

  it('answers an empty buffer for no parts', () => {
    expect(utf8Body([]).byteLength).toBe(0)
  })
})

describe('collectionBody', () => {
  it('is a FeatureCollection with the members before the features, which are kept as given', () => {
    const features = ['{"type":"Feature","id":1,"geometry":null,"properties":{"name":"上关村"}}', '{"type":"Feature","id":2,"geometry":null,"properties":{}}']
    const parsed = JSON.parse(collectionBody(features, { numberMatched: 2 }).toString('utf8'))
    expect(parsed).toEqual({ type: 'FeatureCollection', numberMatched: 2, features: features.map((feature) => JSON.parse(feature)) })
    expect(JSON.parse(collectionBody([]).toString('utf8'))).toEqual({ type: 'FeatureCollection', features: [] })
  })
})
