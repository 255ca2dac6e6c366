import type { Lang, Template } from '../template.ts'

/** Messages of coordinate reference systems (OGC API – Features Part 2, exports), in Simplified Chinese and English. */
export const CRS_MESSAGES = {
  unsupported_crs: {
    zh: (p) => `不支持的坐标参考系“${p.crs}”（参数 ${p.parameter}）。可用：${p.supported}`,
    en: (p) => `Unsupported coordinate reference system "${p.crs}" (parameter ${p.parameter}). Supported: ${p.supported}`,
  },
  bad_crs_bbox: {
    zh: (p) => `bbox 在坐标参考系 ${p.crs} 中无效：${p.reason}。请按该坐标系的轴顺序给出“${p.axes}”`,
    en: (p) => `bbox is not valid in ${p.crs}: ${p.reason}. Give "${p.axes}" in that CRS's axis order`,
  },
  bbox_crs_without_bbox: {
    zh: () => 'bbox-crs 只能与 bbox 一起使用',
    en: () => 'bbox-crs is only meaningful together with bbox',
  },
  export_crs_kml: {
    zh: () => 'KML 规定坐标为 WGS84 经纬度，无法以其他坐标参考系导出；请选择 GeoJSON 或 Shapefile，或不带 crs 参数导出 KML',
    en: () => 'KML coordinates are WGS84 longitude/latitude by definition; choose GeoJSON or Shapefile for another CRS, or export KML without crs',
  },
} satisfies Record<string, Record<Lang, Template>>
