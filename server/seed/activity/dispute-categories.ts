import type { DisputeTier, MediationMode } from '../../core/db/tables/case.ts'
import { gridMeasures, settlementPlacement, type CategoryProfile } from './category-profile.ts'

/** A dispute category's profile with its tiers, cross-village share, mediation and escalation. */
export interface DisputeProfile extends CategoryProfile {
  tier: Readonly<Record<DisputeTier, number>>
  /** Probability that the parties come from two villages (跨村纠纷). */
  crossVillage: number
  mediation: Readonly<Record<MediationMode, number>>
  /** City department a major dispute is escalated to (事件上报). */
  escalateTo: string
}

const FLAT = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] as const
const is = (value: boolean, weight: number) => (value ? weight : 0)
const people = (weight = 1) => (grid: Parameters<CategoryProfile['affinity']>[0], scale: Parameters<CategoryProfile['affinity']>[1]) =>
  weight * gridMeasures(grid, scale).pop

/**
 * Dispute categories (the migration's routing rules): mostly neighbour, land,
 * family and debt disputes where people live; contract and labour disputes
 * around workshops, markets and scenic spots; land disputes in the fields and
 * across village lines in the planting and harvest seasons; debts and unpaid
 * wages before the Spring Festival.
 */
export const DISPUTE_PROFILES: readonly DisputeProfile[] = [
  {
    category: 'neighbour',
    share: 24,
    months: [1, 1.1, 1, 1, 1, 1.1, 1.1, 1.1, 1, 1, 1, 1],
    weekend: 1.1,
    tier: { general: 90, complex: 9, major: 1 },
    crossVillage: 0.06,
    mediation: { pre_litigation: 5, jinhua: 35, apeng: 45, expert: 5, other: 10 },
    escalateTo: '大理市司法局',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: {
      default: [
        '{place}两户因排水沟走向发生争执',
        '{place}邻里因修房占用通道产生矛盾',
        '{place}邻居间因噪音问题多次争吵',
        '{place}因滴水檐、采光问题引发邻里纠纷',
        '{place}因饲养家禽气味扰邻产生矛盾',
      ],
    },
  },
  {
    category: 'land',
    share: 14,
    months: [0.8, 0.9, 1.5, 1.6, 1.4, 1.0, 0.8, 0.8, 1.2, 1.3, 0.9, 0.8],
    weekend: 1.0,
    tier: { general: 80, complex: 17, major: 3 },
    crossVillage: 0.22,
    mediation: { pre_litigation: 5, jinhua: 15, apeng: 50, expert: 15, other: 15 },
    escalateTo: '大理市自然资源局',
    affinity: (grid, scale) => {
      const { pop, area } = gridMeasures(grid, scale)
      return 0.8 * area * (1 - grid.hillShare) + 0.3 * pop
    },
    placement: (rng, grid, hotspot) =>
      rng() < 0.7 ? { anchor: null, sigmaMetres: 0, setting: 'default' } : settlementPlacement(rng, grid, hotspot),
    descriptions: {
      default: ['{place}承包地边界界桩移动引发争议', '{place}农田灌溉用水分配纠纷', '{place}土地流转租金未按期支付', '{place}林地权属不清引发争执'],
    },
  },
  {
    category: 'homestead',
    share: 10,
    months: [1.3, 1.2, 1.3, 1.1, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.4],
    weekend: 1.0,
    tier: { general: 82, complex: 16, major: 2 },
    crossVillage: 0.08,
    mediation: { pre_litigation: 5, jinhua: 20, apeng: 45, expert: 15, other: 15 },
    escalateTo: '大理市自然资源局',
    affinity: (grid, scale) => {
      const { pop, area } = gridMeasures(grid, scale)
      return pop + 0.2 * area
    },
    placement: settlementPlacement,
    descriptions: { default: ['{place}宅基地建房越界', '{place}兄弟间老宅分割纠纷', '{place}宅基地审批后四至界线争议'] },
  },
  {
    category: 'contract',
    share: 7,
    months: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1.2, 1, 1],
    weekend: 0.9,
    tier: { general: 82, complex: 16, major: 2 },
    crossVillage: 0.12,
    mediation: { pre_litigation: 45, jinhua: 5, apeng: 10, expert: 25, other: 15 },
    escalateTo: '大理市人民法院',
    affinity: (grid, scale) =>
      is(grid.kind === 'enterprise', 4) + is(grid.kind === 'market', 3) + is(grid.kind === 'scenic', 2) + 0.3 * gridMeasures(grid, scale).pop,
    placement: settlementPlacement,
    descriptions: {
      default: ['{place}客栈租赁合同提前解约纠纷', '{place}扎染作坊加工合同款项争议', '{place}苗木购销合同质量纠纷'],
      market: ['{place}摊位租赁合同到期续租纠纷'],
    },
  },
  {
    category: 'debt',
    share: 10,
    months: [1.8, 1.6, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 1.1, 1.8],
    weekend: 1.0,
    tier: { general: 85, complex: 13, major: 2 },
    crossVillage: 0.1,
    mediation: { pre_litigation: 55, jinhua: 5, apeng: 10, expert: 15, other: 15 },
    escalateTo: '大理市人民法院',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: { default: ['{place}民间借贷逾期未还', '{place}赊购农资欠款纠纷', '{place}合伙经营欠款结算争议'] },
  },
  {
    category: 'labour',
    share: 6,
    months: [2.0, 1.5, 0.8, 0.8, 0.8, 0.8, 0.9, 0.9, 0.9, 0.9, 1.2, 2.0],
    weekend: 0.9,
    tier: { general: 78, complex: 17, major: 5 },
    crossVillage: 0.12,
    mediation: { pre_litigation: 40, jinhua: 5, apeng: 10, expert: 25, other: 20 },
    escalateTo: '大理市人力资源和社会保障局',
    affinity: (grid, scale) =>
      is(grid.kind === 'enterprise', 6) + is(grid.kind === 'scenic', 2) + is(grid.kind === 'market', 1) + 0.2 * gridMeasures(grid, scale).pop,
    placement: settlementPlacement,
    descriptions: { default: ['{place}务工人员工资拖欠', '{place}施工队工伤赔偿纠纷', '{place}客栈员工辞退补偿争议'] },
  },
  {
    category: 'marriage-family',
    share: 12,
    months: [1.2, 1.8, 1.1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.1, 0.9, 1.0],
    weekend: 1.2,
    tier: { general: 88, complex: 11, major: 1 },
    crossVillage: 0.12,
    mediation: { pre_litigation: 5, jinhua: 70, apeng: 10, expert: 5, other: 10 },
    escalateTo: '大理市妇女联合会',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: {
      default: ['{place}赡养老人费用分担纠纷', '{place}夫妻感情不和引发家庭矛盾', '{place}离婚后子女抚养费纠纷', '{place}家庭财产分割纠纷'],
    },
  },
  {
    category: 'public-order',
    share: 6,
    months: [1.2, 1.5, 1.0, 1.2, 1.0, 1.0, 1.2, 1.2, 1.0, 1.4, 0.9, 1.0],
    weekend: 1.3,
    tier: { general: 85, complex: 11, major: 4 },
    crossVillage: 0.14,
    mediation: { pre_litigation: 5, jinhua: 20, apeng: 45, expert: 5, other: 25 },
    escalateTo: '大理市公安局',
    affinity: (grid, scale) => is(grid.kind === 'market', 6) + is(grid.kind === 'scenic', 4) + 0.5 * gridMeasures(grid, scale).pop,
    placement: settlementPlacement,
    descriptions: {
      default: ['{place}酒后口角引发轻微肢体冲突', '{place}停车纠纷引发冲突'],
      market: ['{place}摊位占道经营引发争吵', '{place}赶集日买卖双方因价格发生冲突'],
    },
  },
  {
    category: 'criminal-civil',
    share: 2,
    months: FLAT,
    weekend: 1.0,
    tier: { general: 70, complex: 25, major: 5 },
    crossVillage: 0.1,
    mediation: { pre_litigation: 40, jinhua: 5, apeng: 10, expert: 30, other: 15 },
    escalateTo: '大理市人民检察院',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: { default: ['{place}轻伤害案件附带民事赔偿调解', '{place}交通事故致伤赔偿纠纷', '{place}盗窃案件退赔协商'] },
  },
  {
    category: 'petition',
    share: 3,
    months: FLAT,
    weekend: 0.6,
    tier: { general: 60, complex: 32, major: 8 },
    crossVillage: 0.08,
    mediation: { pre_litigation: 5, jinhua: 15, apeng: 20, expert: 30, other: 30 },
    escalateTo: '大理市信访局',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: { default: ['{place}群众反映征地补偿问题', '{place}群众反映低保评定不公', '{place}群众反映村务公开不及时'] },
  },
  {
    category: 'hardship',
    share: 4,
    months: [1.5, 1.4, 1.0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.5],
    weekend: 0.8,
    tier: { general: 92, complex: 7, major: 1 },
    crossVillage: 0,
    mediation: { pre_litigation: 0, jinhua: 35, apeng: 20, expert: 5, other: 40 },
    escalateTo: '大理市民政局',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: { default: ['{place}困难家庭申请临时救助', '{place}残疾人申请帮扶', '{place}独居老人生活困难求助'] },
  },
  {
    category: 'other',
    share: 2,
    months: FLAT,
    weekend: 1.0,
    tier: { general: 90, complex: 9, major: 1 },
    crossVillage: 0.05,
    mediation: { pre_litigation: 10, jinhua: 25, apeng: 25, expert: 10, other: 30 },
    escalateTo: '大理市委政法委',
    affinity: people(),
    placement: settlementPlacement,
    descriptions: { default: ['{place}其他民间纠纷', '{place}红白喜事费用分摊引发争执'] },
  },
]
