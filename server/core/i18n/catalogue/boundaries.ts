import type { Lang, Template } from '../template.ts'

const at = (p: Record<string, unknown>) => (p.polygon ? `（第 ${p.polygon} 个面，第 ${p.ring} 个环${p.position ? `，第 ${p.position} 个点` : ''}）` : '')
const atEn = (p: Record<string, unknown>) => (p.polygon ? ` (polygon ${p.polygon}, ring ${p.ring}${p.position ? `, position ${p.position}` : ''})` : '')

/** Messages of boundary editing (issue 5: drawing and adjusting grid boundaries), in Simplified Chinese and English. */
export const BOUNDARIES_MESSAGES = {
  geometry_not_object: {
    zh: () => '几何应为 GeoJSON 对象，包含 type 与 coordinates',
    en: () => 'The geometry must be a GeoJSON object with type and coordinates',
  },
  geometry_collection_refused: {
    zh: () => '不接受 GeometryCollection，请提交 Polygon 或 MultiPolygon',
    en: () => 'GeometryCollection is not accepted; send a Polygon or MultiPolygon',
  },
  geometry_type_refused: {
    zh: (p) => `不接受几何类型“${p.type}”，请提交 Polygon 或 MultiPolygon`,
    en: (p) => `Geometry type "${p.type}" is not accepted; send a Polygon or MultiPolygon`,
  },
  geometry_empty: {
    zh: () => '几何为空（没有面或环）',
    en: () => 'The geometry is empty (no polygon or ring)',
  },
  geometry_bad_coordinates: {
    zh: (p) => `坐标结构不正确：${p.path}`,
    en: (p) => `Malformed coordinates at ${p.path}`,
  },
  geometry_not_number: {
    zh: (p) => `坐标必须是有限数值，收到 ${p.value}${at(p)}`,
    en: (p) => `Coordinates must be finite numbers; got ${p.value}${atEn(p)}`,
  },
  geometry_has_z: {
    zh: (p) => `不接受三维坐标（高程）${at(p)}：请只提交经度、纬度两个数值`,
    en: (p) => `3D coordinates (heights) are not accepted${atEn(p)}: send longitude and latitude only`,
  },
  geometry_out_of_range: {
    zh: (p) => `坐标超出范围（经度 ${p.lon}，纬度 ${p.lat}）${at(p)}：应为 WGS84 经纬度，经度在前`,
    en: (p) => `Coordinates out of range (lon ${p.lon}, lat ${p.lat})${atEn(p)}: expected WGS84 degrees, longitude first`,
  },
  geometry_ring_too_short: {
    zh: (p) => `环至少需要 4 个点（首尾相同）${at(p)}`,
    en: (p) => `A ring needs at least 4 positions (first = last)${atEn(p)}`,
  },
  geometry_ring_not_closed: {
    zh: (p) => `环未闭合：最后一个点必须与第一个点相同${at(p)}`,
    en: (p) => `Unclosed ring: the last position must equal the first${atEn(p)}`,
  },
  geometry_too_many_vertices: {
    zh: (p) => `顶点过多，上限为 ${p.limit} 个`,
    en: (p) => `Too many vertices; the limit is ${p.limit}`,
  },
  geometry_invalid: {
    zh: (p) => `几何无效：${p.reason}（如自相交的环）`,
    en: (p) => `Invalid geometry: ${p.reason} (e.g. a self-intersecting ring)`,
  },
  geometry_outside_township: {
    zh: (p) => `边界点（经度 ${p.lon}，纬度 ${p.lat}）在本镇范围之外`,
    en: (p) => `A boundary point (lon ${p.lon}, lat ${p.lat}) lies outside the township`,
  },
  bad_geometry: {
    zh: (p) => `几何无法接受：${p.detail}`,
    en: (p) => `Geometry refused: ${p.detail}`,
  },
  bad_split_line: {
    zh: (p) => `分割线应为 LineString，含至少 2 个经纬度点：${p.detail}`,
    en: (p) => `The split line must be a LineString of at least 2 lon/lat positions: ${p.detail}`,
  },
  problem_spike: {
    zh: (p) => `边界有尖刺：某顶点处两条边的夹角仅 ${p.angle}°（下限 ${p.limit}°）`,
    en: (p) => `Spike: the two edges at a vertex meet at only ${p.angle}° (limit ${p.limit}°)`,
  },
  problem_outside_parent: {
    zh: (p) => `“${p.name}”有 ${p.area} 平方米超出上级区域“${p.parent}”（容差 ${p.tolerance} 平方米）`,
    en: (p) => `${p.area} m² of "${p.name}" lie outside its parent "${p.parent}" (tolerance ${p.tolerance} m²)`,
  },
  problem_overlap: {
    zh: (p) => `“${p.name}”与同级区域“${p.other}”重叠 ${p.area} 平方米（容差 ${p.tolerance} 平方米）`,
    en: (p) => `"${p.name}" overlaps its sibling "${p.other}" by ${p.area} m² (tolerance ${p.tolerance} m²)`,
  },
  problem_child_outside: {
    zh: (p) => `下级区域“${p.name}”将有 ${p.area} 平方米落在“${p.parent}”之外`,
    en: (p) => `${p.area} m² of the child "${p.name}" would fall outside "${p.parent}"`,
  },
  problem_child_split: {
    zh: (p) => `下级网格“${p.name}”被分割线穿过，请先调整它的边界`,
    en: (p) => `The child grid "${p.name}" straddles the split line; adjust it first`,
  },
  problem_gap: {
    zh: (p) => `“${p.parent}”内出现 ${p.area} 平方米未被下级网格覆盖的空白（容差 ${p.tolerance} 平方米）`,
    en: (p) => `A gap of ${p.area} m² inside "${p.parent}" is covered by none of its grids (tolerance ${p.tolerance} m²)`,
  },
  boundary_rejected: {
    zh: (p) => `边界未通过校验（${p.count} 个问题），未保存任何更改`,
    en: (p) => `The boundary failed validation (${p.count} problem(s)); nothing was saved`,
  },
  boundary_if_match_required: {
    zh: () => '修改边界必须提供 If-Match 请求头（当前版本的 ETag，例如 "3"），以免覆盖他人的修改',
    en: () => 'Editing a boundary requires an If-Match header (the ETag of the current version, e.g. "3") so no one else\'s change is overwritten',
  },
  boundary_version_mismatch: {
    zh: (p) => `区域 ${p.id} 已被他人修改（您提交的版本为 ${p.expected}，当前版本为 ${p.current}），请刷新后重试；未保存任何更改`,
    en: (p) => `Area ${p.id} was changed meanwhile (you sent version ${p.expected}, it is now ${p.current}); reload and try again. Nothing was saved`,
  },
  boundary_reason_required: {
    zh: () => '请说明修改原因：X-Change-Reason 请求头或 properties.reason',
    en: () => 'Give the reason for the change: the X-Change-Reason header or properties.reason',
  },
  boundary_feature_id_mismatch: {
    zh: (p) => `请求体中的要素编号 ${p.bodyId} 与地址中的 ${p.id} 不一致`,
    en: (p) => `The feature id ${p.bodyId} in the body differs from ${p.id} in the path`,
  },
  boundary_area_not_editable: {
    zh: (p) => `区域 ${p.id}（${p.level}）不能以此方式修改：${p.detail}`,
    en: (p) => `Area ${p.id} (${p.level}) cannot be changed this way: ${p.detail}`,
  },
  boundary_areas_not_siblings: {
    zh: () => '合并的区域必须属于同一上级区域且彼此相邻（有公共边）',
    en: () => 'Merged areas must share a parent and be adjacent (share a boundary)',
  },
  boundary_split_failed: {
    zh: (p) => `分割线未能把区域分成至少两块：${p.detail}`,
    en: (p) => `The line does not cut the area into two or more pieces: ${p.detail}`,
  },
  boundary_impact_one_change: {
    zh: () => '请只提交 edit、split、merge 三者之一',
    en: () => 'Send exactly one of edit, split or merge',
  },
  boundary_sequence_full: {
    zh: () => '上级区域内的网格序号已用尽（最多 999 个）',
    en: () => 'No grid sequence number left in the parent (at most 999)',
  },
  area_version_not_found: {
    zh: (p) => `区域 ${p.id} 没有第 ${p.version} 版`,
    en: (p) => `Area ${p.id} has no version ${p.version}`,
  },
  duplicate_area_in_batch: {
    zh: (p) => `区域 ${p.id} 在一次批量修改中出现了多次`,
    en: (p) => `Area ${p.id} appears more than once in the batch`,
  },
} satisfies Record<string, Record<Lang, Template>>
