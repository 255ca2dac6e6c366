import gcoord from 'gcoord'
import { HttpError } from '../../core/http/http-error.ts'
import type { PlaceRow } from './locations.repository.ts'

/**
 * Coordinate system of the coordinates in a ledger.
 *
 * - `wgs84`: GPS, EPSG:4326;
 * - `cgcs2000`: China Geodetic Coordinate System 2000 (EPSG:4490), taken as WGS84: the two
 *   frames differ by well under a metre here, less than a household point's own accuracy;
 * - `gcj02`: the obfuscated frame of Chinese web maps (Amap/高德, Tencent), converted to WGS84
 *   with gcoord (iterative inverse, sub-millimetre inside China).
 */
export type LedgerCrs = 'wgs84' | 'cgcs2000' | 'gcj02'

/** How a row was placed. */
export type LocationMethod = 'coordinates' | 'grid_code' | 'grid_name' | 'address'

/** Where a row goes: a WGS84 point, how it was found, and the grid it names (when located by area). */
export interface RowLocation {
  lon: number
  lat: number
  method: LocationMethod
  /** The grid whose point on surface was taken; undefined for coordinates. */
  place?: PlaceRow
}

/** The location fields of a row, as text. */
export interface LocationValues {
  lon?: string
  lat?: string
  gridCode?: string
  village?: string
  baseGrid?: string
  fineGrid?: string
  address?: string
}

/** Offline address book: the township's current villages and grids. */
export class PlaceIndex {
  private readonly byCode = new Map<string, PlaceRow>()
  private readonly grids: PlaceRow[]

  constructor(private readonly places: PlaceRow[]) {
    for (const place of places) this.byCode.set(place.code, place)
    // Longest names first: "周城村第1网格-12" must win over "周城村第1网格-1" and "周城村第1网格".
    this.grids = places.filter((p) => p.level !== 'village').sort((a, b) => b.name.length - a.name.length)
  }

  /** A current base or fine grid by its 15- or 18-digit code. */
  gridByCode(code: string): PlaceRow | undefined {
    const place = this.byCode.get(code)
    return place && place.level !== 'village' ? place : undefined
  }

  /** A current area of `level` named `name` (zh or en, exact), inside the village `villageName` when given. */
  byName(level: PlaceRow['level'], name: string, villageName?: string): PlaceRow | undefined {
    const wanted = name.trim()
    const matches = this.places.filter((p) => p.level === level && (p.name === wanted || p.nameEn === wanted || p.code === wanted))
    if (matches.length <= 1 || !villageName) return matches[0]
    const village = this.byName('village', villageName)
    return matches.find((p) => this.villageOf(p)?.areaId === village?.areaId) ?? matches[0]
  }

  /** The village a grid belongs to. */
  villageOf(place: PlaceRow): PlaceRow | undefined {
    let current: PlaceRow | undefined = place
    while (current && current.level !== 'village') current = this.places.find((p) => p.areaId === current!.parentId)
    return current
  }

  /**
   * The grid an address names: a grid code in it, else the longest grid name (zh or en) it
   * contains. A village name alone is reported separately ({@link villageNamedIn}).
   */
  gridInAddress(address: string): PlaceRow | undefined {
    for (const code of address.match(/\d{15}(\d{3})?/g) ?? []) {
      const place = this.gridByCode(code)
      if (place) return place
    }
    const lower = address.toLowerCase()
    return this.grids.find((p) => address.includes(p.name) || (p.nameEn !== null && p.nameEn.length > 3 && lower.includes(p.nameEn.toLowerCase())))
  }

  /** A village whose name the address contains. */
  villageNamedIn(address: string): PlaceRow | undefined {
    return this.places.find((p) => p.level === 'village' && address.includes(p.name))
  }
}

function number(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined
  const value = Number(text.trim().replace(/[°，,]$/, ''))
  return Number.isFinite(value) ? value : Number.NaN
}

/**
 * Places a row, in this order: coordinates (converted from `crs` to WGS84); a grid
 * code; the fine grid, then the base grid named in their columns; a grid code or
 * name found in the address. Everything is matched offline against our own
 * areas. Throws an HttpError whose message is the row's refusal reason.
 */
export function locateRow(values: LocationValues, crs: LedgerCrs, places: PlaceIndex): RowLocation {
  const lon = number(values.lon)
  const lat = number(values.lat)
  if (lon !== undefined || lat !== undefined) {
    if (lon === undefined || lat === undefined || Number.isNaN(lon) || Number.isNaN(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      throw new HttpError(400, 'ledger_row_bad_coordinates', { lon: values.lon ?? '', lat: values.lat ?? '' })
    }
    if (crs === 'gcj02') {
      const [x, y] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]
      return { lon: x, lat: y, method: 'coordinates' }
    }
    return { lon, lat, method: 'coordinates' }
  }
  const code = values.gridCode?.trim()
  if (code) {
    const place = places.gridByCode(code)
    if (!place) throw new HttpError(400, 'ledger_row_unknown_grid_code', { code })
    return { lon: place.lon, lat: place.lat, method: 'grid_code', place }
  }
  // A "grid" column of another ledger may hold a base or a fine grid name: look each name up at both levels, finest first.
  for (const name of [values.fineGrid?.trim(), values.baseGrid?.trim()]) {
    if (!name) continue
    const place = places.byName('fine_grid', name, values.village) ?? places.byName('base_grid', name, values.village)
    if (place) return { lon: place.lon, lat: place.lat, method: 'grid_name', place }
  }
  const text = [values.address, values.fineGrid, values.baseGrid, values.village].filter(Boolean).join(' ')
  const place = text ? places.gridInAddress(text) : undefined
  if (place) return { lon: place.lon, lat: place.lat, method: 'address', place }
  const village = text ? places.villageNamedIn(text) : undefined
  if (village) throw new HttpError(400, 'ledger_row_village_only', { village: village.name })
  throw new HttpError(400, 'ledger_row_unlocated')
}
