import type { HazardSeverity } from '../../core/db/tables/case.ts'
import { gridMeasures, settlementPlacement, type CategoryProfile } from './category-profile.ts'

/** A hazard category's profile with how severe its hazards tend to be. */
export interface HazardProfile extends CategoryProfile {
  severity: Readonly<Record<HazardSeverity, number>>
}

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as const
const is = (value: boolean, weight: number) => (value ? weight : 0)

/**
 * Hazard categories (the migration's routing rules) with their share,
 * seasonality and places: fires in the dry season (January–April), on the
 * hillside and in workshops; landslides and debris flows on the Cangshan
 * side and floods on the Erhai shore in the rainy season (June–September);
 * traffic along the main road; food safety at markets, schools and scenic
 * spots around festivals (Spring Festival, the Third Month Fair in April,
 * the Torch Festival in summer, National Day).
 */
export const HAZARD_PROFILES: readonly HazardProfile[] = [
  {
    category: 'fire',
    share: 16,
    months: [2.0, 2.2, 2.0, 1.8, 1.2, 0.5, 0.4, 0.4, 0.5, 0.8, 1.0, 1.5],
    weekend: 0.8,
    severity: { low: 30, medium: 45, high: 20, critical: 5 },
    affinity: (grid, scale) => {
      const { pop, area } = gridMeasures(grid, scale)
      return pop + 0.6 * area * grid.hillShare + is(grid.kind === 'enterprise', 1.5) + is(grid.kind === 'market', 1) + is(grid.kind === 'scenic', 0.6)
    },
    placement: (rng, grid, hotspot) =>
      grid.hillAnchor && rng() < grid.hillShare
        ? { anchor: grid.hillAnchor, sigmaMetres: 450, setting: 'hill' }
        : settlementPlacement(rng, grid, hotspot),
    descriptions: {
      default: [
        '{place}一农户电动车在楼道内充电，存在火灾隐患',
        '{place}民房厨房柴草堆放靠近灶台',
        '{place}商铺灭火器过期未更换',
        '{place}客栈消防通道被杂物堵塞',
        '{place}私拉电线为电动车充电',
        '{place}扎染作坊易燃布料堆放过密',
      ],
      hill: [
        '{place}林区边缘发现烧荒痕迹，山林防火压力大',
        '{place}上坟烧纸、野外用火隐患',
        '{place}林下枯枝落叶堆积，防火隔离带未清理',
      ],
      market: ['{place}摊位液化气瓶无防护、临近明火', '{place}市场消防通道被摊位占用'],
    },
  },
  {
    category: 'geological',
    share: 8,
    months: [0.2, 0.2, 0.3, 0.3, 0.8, 2.2, 3.2, 3.2, 2.2, 0.8, 0.3, 0.2],
    weekend: 0.8,
    severity: { low: 15, medium: 35, high: 35, critical: 15 },
    affinity: (grid, scale) => (grid.hillShare > 0 ? 3 * grid.hillShare * gridMeasures(grid, scale).area + 0.2 : 0),
    placement: (_rng, grid, hotspot) => ({ anchor: grid.hillAnchor ?? hotspot, sigmaMetres: 300, setting: 'hill' }),
    descriptions: {
      default: ['{place}房后边坡雨后局部垮塌'],
      hill: [
        '{place}后山坡体出现裂缝，雨季有滑坡风险',
        '{place}沟谷内松散堆积物较多，存在泥石流隐患',
        '{place}农房背后高陡边坡未支护',
        '{place}山体落石威胁下方便道',
        '{place}溪沟上游出现堵塞，暴雨时易形成泥石流',
      ],
    },
  },
  {
    category: 'flood',
    share: 10,
    months: [0.2, 0.2, 0.3, 0.4, 0.9, 2.4, 3.4, 3.2, 2.0, 0.8, 0.3, 0.2],
    weekend: 0.9,
    severity: { low: 20, medium: 40, high: 30, critical: 10 },
    affinity: (grid, scale) => (grid.lakeShore ? 1.5 + 0.5 * gridMeasures(grid, scale).pop : 0.05 * gridMeasures(grid, scale).pop),
    placement: (_rng, grid, hotspot) =>
      grid.lakeAnchor ? { anchor: grid.lakeAnchor, sigmaMetres: 70, setting: 'lake' } : { anchor: hotspot, sigmaMetres: 150, setting: 'default' },
    descriptions: {
      default: ['{place}排洪沟淤塞，汛期易内涝', '{place}河道行洪断面被杂物侵占'],
      lake: [
        '{place}洱海沿岸护岸局部垮塌',
        '{place}湖滨步道临水处护栏缺失',
        '{place}沿湖低洼农田排水沟淤堵，汛期易内涝',
        '{place}洱海水位上涨，临湖民房存在进水风险',
        '{place}游客在湖边危险水域戏水',
      ],
    },
  },
  {
    category: 'building',
    share: 14,
    months: [0.8, 0.8, 0.8, 0.9, 1.0, 1.5, 1.8, 1.7, 1.4, 1.0, 0.8, 0.8],
    weekend: 0.8,
    severity: { low: 25, medium: 45, high: 25, critical: 5 },
    affinity: (grid, scale) => 1.2 * gridMeasures(grid, scale).pop + is(grid.kind === 'scenic', 1.5),
    placement: settlementPlacement,
    descriptions: {
      default: [
        '{place}老旧土木结构民房墙体开裂',
        '{place}闲置老宅屋顶瓦面塌落',
        '{place}白族民居照壁倾斜，临近道路',
        '{place}自建房违规加层，结构安全存疑',
        '{place}危旧围墙雨后有倒塌风险',
      ],
    },
  },
  {
    category: 'traffic',
    share: 12,
    months: [1.3, 1.6, 1.0, 1.0, 1.3, 0.9, 1.3, 1.4, 1.0, 1.6, 0.9, 1.0],
    weekend: 1.0,
    severity: { low: 35, medium: 45, high: 17, critical: 3 },
    affinity: (grid, scale) => {
      const near = grid.roadMetres < 300 ? 2 : grid.roadMetres < 800 ? 0.5 : 0.1
      return near * (0.5 + 0.5 * gridMeasures(grid, scale).pop) + is(grid.kind === 'school', 1) + is(grid.kind === 'market', 1)
    },
    placement: (rng, grid, hotspot) =>
      grid.roadAnchor && grid.roadMetres < 300 && rng() < 0.8
        ? { anchor: grid.roadAnchor, sigmaMetres: 50, setting: 'road' }
        : settlementPlacement(rng, grid, hotspot),
    descriptions: {
      default: ['{place}村道急弯缺少警示标志', '{place}村内道路占道堆放建材', '{place}农用车违规载人'],
      road: [
        '{place}大丽路路口视线不良，缺少减速标志',
        '{place}大丽路沿线农用车、三轮车载人',
        '{place}路侧护栏缺损',
        '{place}学生上下学横穿大丽路',
      ],
      school: ['{place}校门口缺少减速带和护学岗'],
    },
  },
  {
    category: 'electrical',
    share: 12,
    months: [1.2, 1.1, 0.9, 0.9, 1.1, 1.3, 1.5, 1.4, 1.1, 0.9, 0.9, 1.2],
    weekend: 0.8,
    severity: { low: 35, medium: 45, high: 17, critical: 3 },
    affinity: (grid, scale) => gridMeasures(grid, scale).pop + is(grid.kind === 'enterprise', 2) + is(grid.kind === 'market', 1),
    placement: settlementPlacement,
    descriptions: {
      default: [
        '{place}低压线路老化，线杆倾斜',
        '{place}农户私拉乱接电线',
        '{place}配电箱锈蚀未上锁',
        '{place}电线与树枝摩擦，存在漏电风险',
      ],
    },
  },
  {
    category: 'food',
    share: 10,
    months: [1.5, 2.0, 1.0, 1.8, 1.0, 0.8, 1.3, 1.2, 1.1, 2.0, 0.8, 1.0],
    weekend: 1.0,
    severity: { low: 40, medium: 45, high: 13, critical: 2 },
    affinity: (grid, scale) =>
      is(grid.kind === 'market', 12) + is(grid.kind === 'school', 4) + is(grid.kind === 'enterprise', 2) + is(grid.kind === 'scenic', 3) +
      0.2 * gridMeasures(grid, scale).pop,
    placement: settlementPlacement,
    descriptions: {
      default: ['{place}农家乐厨房卫生条件差', '{place}农村集体聚餐未报备', '{place}食品小作坊生产条件不达标', '{place}节庆期间流动摊贩售卖三无食品'],
      market: ['{place}摊位生熟食品混放', '{place}售卖无标签散装乳扇', '{place}冷链食品无进货台账', '{place}野生菌摊位未做食用提示'],
      school: ['{place}食堂从业人员健康证过期', '{place}校园周边流动摊贩售卖三无食品'],
    },
  },
  {
    category: 'public-security',
    share: 10,
    months: [1.2, 1.6, 1.0, 1.3, 1.1, 0.9, 1.2, 1.2, 1.0, 1.6, 0.9, 1.0],
    weekend: 1.1,
    severity: { low: 40, medium: 45, high: 13, critical: 2 },
    affinity: (grid, scale) =>
      is(grid.kind === 'market', 6) + is(grid.kind === 'scenic', 5) + is(grid.kind === 'school', 1) + 0.6 * gridMeasures(grid, scale).pop,
    placement: settlementPlacement,
    descriptions: {
      default: ['{place}夜间人员聚集，存在打架斗殴隐患', '{place}出租房屋人员信息未登记', '{place}公共区域监控探头损坏', '{place}旅游旺季游客密集，存在踩踏风险'],
      market: ['{place}赶集日人流密集，扒窃多发', '{place}市场周边无证摊贩占道'],
      school: ['{place}校园周边护学岗人员不足'],
    },
  },
  {
    category: 'other',
    share: 8,
    months: FLAT,
    weekend: 0.8,
    severity: { low: 55, medium: 35, high: 9, critical: 1 },
    affinity: (grid, scale) => {
      const { pop, area } = gridMeasures(grid, scale)
      return 0.8 * pop + 0.2 * area
    },
    placement: settlementPlacement,
    descriptions: { default: ['{place}废弃水塘无防护栏', '{place}流浪犬伤人隐患', '{place}广告牌松动', '{place}沼气池盖板破损'] },
  },
]
