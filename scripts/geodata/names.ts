/** One of the 13 villages, listed north to south. */
export interface VillageSpec {
  name: string
  nameEn: string
  /** Share of the town's north–south extent given to the village strip. */
  stripWeight: number
  /** Where the houses cluster: fraction of the way from mountain foot to lake shore. */
  settlementFrac: number
  /** Relative size of the village's house cluster (drives population). */
  clusterWeight: number
}

/** Villages north to south (boundaries are synthetic; names are real places of Xizhou). */
export const VILLAGES: VillageSpec[] = [
  { name: '周城村', nameEn: 'Zhoucheng Village', stripWeight: 1.3, settlementFrac: 0.3, clusterWeight: 3.4 },
  { name: '桃源村', nameEn: 'Taoyuan Village', stripWeight: 0.9, settlementFrac: 0.74, clusterWeight: 1.2 },
  { name: '沙村', nameEn: 'Shacun Village', stripWeight: 0.85, settlementFrac: 0.68, clusterWeight: 1.0 },
  { name: '仁里邑村', nameEn: 'Renliyi Village', stripWeight: 1.0, settlementFrac: 0.45, clusterWeight: 1.3 },
  { name: '城北村', nameEn: 'Chengbei Village', stripWeight: 1.0, settlementFrac: 0.5, clusterWeight: 1.5 },
  { name: '市上村', nameEn: 'Shishang Village', stripWeight: 0.9, settlementFrac: 0.46, clusterWeight: 1.4 },
  { name: '喜洲村', nameEn: 'Xizhou Village', stripWeight: 1.3, settlementFrac: 0.5, clusterWeight: 2.4 },
  { name: '寺里村', nameEn: 'Sili Village', stripWeight: 0.95, settlementFrac: 0.5, clusterWeight: 1.1 },
  { name: '染衣村', nameEn: 'Ranyi Village', stripWeight: 0.95, settlementFrac: 0.6, clusterWeight: 1.0 },
  { name: '中和村', nameEn: 'Zhonghe Village', stripWeight: 1.0, settlementFrac: 0.36, clusterWeight: 1.2 },
  { name: '江上村', nameEn: 'Jiangshang Village', stripWeight: 0.9, settlementFrac: 0.7, clusterWeight: 1.0 },
  { name: '作邑村', nameEn: 'Zuoyi Village', stripWeight: 1.0, settlementFrac: 0.4, clusterWeight: 1.1 },
  { name: '金圭寺村', nameEn: 'Jinguisi Village', stripWeight: 1.05, settlementFrac: 0.3, clusterWeight: 1.0 },
]

/** Where a dedicated grid sits inside its village's plain. */
export type DedicatedAnchor = 'settlement' | 'road' | 'shore' | 'foot' | 'town-centre'

/** A dedicated grid (专属网格) to place on one fine grid of a village. */
export interface DedicatedSpec {
  village: string
  kind: 'school' | 'market' | 'scenic' | 'enterprise'
  name: string
  nameEn: string
  anchor: DedicatedAnchor
}

/** Dedicated grids; each takes the free plain fine grid nearest its anchor. */
export const DEDICATED: DedicatedSpec[] = [
  { village: '周城村', kind: 'scenic', name: '周城扎染村', nameEn: 'Zhoucheng Tie-dye Village', anchor: 'settlement' },
  { village: '周城村', kind: 'scenic', name: '蝴蝶泉', nameEn: 'Butterfly Spring', anchor: 'foot' },
  { village: '周城村', kind: 'school', name: '周城完小', nameEn: 'Zhoucheng Primary School', anchor: 'settlement' },
  { village: '周城村', kind: 'school', name: '周城幼儿园', nameEn: 'Zhoucheng Kindergarten', anchor: 'settlement' },
  { village: '周城村', kind: 'market', name: '周城农贸市场', nameEn: 'Zhoucheng Farmers’ Market', anchor: 'road' },
  { village: '周城村', kind: 'enterprise', name: '周城扎染合作社', nameEn: 'Zhoucheng Tie-dye Cooperative', anchor: 'settlement' },
  { village: '桃源村', kind: 'school', name: '桃源完小', nameEn: 'Taoyuan Primary School', anchor: 'settlement' },
  { village: '桃源村', kind: 'scenic', name: '桃源码头', nameEn: 'Taoyuan Pier', anchor: 'shore' },
  { village: '桃源村', kind: 'enterprise', name: '桃源渔业合作社', nameEn: 'Taoyuan Fishery Cooperative', anchor: 'shore' },
  { village: '沙村', kind: 'school', name: '沙村完小', nameEn: 'Shacun Primary School', anchor: 'settlement' },
  { village: '沙村', kind: 'scenic', name: '沙村湿地公园', nameEn: 'Shacun Wetland Park', anchor: 'shore' },
  { village: '沙村', kind: 'enterprise', name: '沙村农产品合作社', nameEn: 'Shacun Farm Produce Cooperative', anchor: 'road' },
  { village: '仁里邑村', kind: 'school', name: '仁里邑完小', nameEn: 'Renliyi Primary School', anchor: 'settlement' },
  { village: '仁里邑村', kind: 'enterprise', name: '仁里邑乳扇加工厂', nameEn: 'Renliyi Rushan Dairy', anchor: 'road' },
  { village: '仁里邑村', kind: 'market', name: '仁里邑集市', nameEn: 'Renliyi Market', anchor: 'settlement' },
  { village: '城北村', kind: 'scenic', name: '喜林苑', nameEn: 'The Linden Centre', anchor: 'town-centre' },
  { village: '城北村', kind: 'school', name: '城北完小', nameEn: 'Chengbei Primary School', anchor: 'settlement' },
  { village: '城北村', kind: 'enterprise', name: '城北食品加工厂', nameEn: 'Chengbei Food Factory', anchor: 'road' },
  { village: '市上村', kind: 'market', name: '喜洲集市', nameEn: 'Xizhou Market', anchor: 'town-centre' },
  { village: '市上村', kind: 'school', name: '市上完小', nameEn: 'Shishang Primary School', anchor: 'settlement' },
  { village: '市上村', kind: 'enterprise', name: '市上扎染坊', nameEn: 'Shishang Tie-dye Workshop', anchor: 'settlement' },
  { village: '喜洲村', kind: 'scenic', name: '严家大院', nameEn: 'Yan Family Compound', anchor: 'town-centre' },
  { village: '喜洲村', kind: 'scenic', name: '喜洲古镇四方街', nameEn: 'Xizhou Old Town Square', anchor: 'town-centre' },
  { village: '喜洲村', kind: 'scenic', name: '海舌公园', nameEn: 'Haishe Park', anchor: 'shore' },
  { village: '喜洲村', kind: 'school', name: '喜洲完小', nameEn: 'Xizhou Primary School', anchor: 'settlement' },
  { village: '喜洲村', kind: 'school', name: '喜洲一中', nameEn: 'Xizhou No. 1 Middle School', anchor: 'road' },
  { village: '喜洲村', kind: 'school', name: '喜洲镇中心幼儿园', nameEn: 'Xizhou Central Kindergarten', anchor: 'settlement' },
  { village: '喜洲村', kind: 'market', name: '喜洲农贸市场', nameEn: 'Xizhou Farmers’ Market', anchor: 'road' },
  { village: '喜洲村', kind: 'enterprise', name: '喜洲粑粑食品厂', nameEn: 'Xizhou Baba Bakery', anchor: 'settlement' },
  { village: '寺里村', kind: 'school', name: '寺里完小', nameEn: 'Sili Primary School', anchor: 'settlement' },
  { village: '寺里村', kind: 'enterprise', name: '寺里砖瓦厂', nameEn: 'Sili Brick Works', anchor: 'foot' },
  { village: '染衣村', kind: 'school', name: '染衣完小', nameEn: 'Ranyi Primary School', anchor: 'settlement' },
  { village: '染衣村', kind: 'enterprise', name: '染衣扎染厂', nameEn: 'Ranyi Dye Works', anchor: 'settlement' },
  { village: '中和村', kind: 'school', name: '中和完小', nameEn: 'Zhonghe Primary School', anchor: 'settlement' },
  { village: '中和村', kind: 'enterprise', name: '中和大理石加工厂', nameEn: 'Zhonghe Marble Works', anchor: 'foot' },
  { village: '中和村', kind: 'market', name: '中和集市', nameEn: 'Zhonghe Market', anchor: 'road' },
  { village: '江上村', kind: 'school', name: '江上完小', nameEn: 'Jiangshang Primary School', anchor: 'settlement' },
  { village: '江上村', kind: 'enterprise', name: '江上乳扇合作社', nameEn: 'Jiangshang Rushan Cooperative', anchor: 'settlement' },
  { village: '江上村', kind: 'scenic', name: '江上观海长廊', nameEn: 'Jiangshang Lakeside Walk', anchor: 'shore' },
  { village: '作邑村', kind: 'school', name: '作邑完小', nameEn: 'Zuoyi Primary School', anchor: 'settlement' },
  { village: '作邑村', kind: 'enterprise', name: '作邑农机合作社', nameEn: 'Zuoyi Farm Machinery Cooperative', anchor: 'road' },
  { village: '作邑村', kind: 'enterprise', name: '作邑苗木基地', nameEn: 'Zuoyi Tree Nursery', anchor: 'foot' },
  { village: '金圭寺村', kind: 'scenic', name: '金圭寺', nameEn: 'Jingui Temple', anchor: 'foot' },
  { village: '金圭寺村', kind: 'school', name: '金圭寺完小', nameEn: 'Jinguisi Primary School', anchor: 'settlement' },
  { village: '金圭寺村', kind: 'enterprise', name: '金圭寺茶厂', nameEn: 'Jinguisi Tea Factory', anchor: 'foot' },
  { village: '金圭寺村', kind: 'market', name: '金圭寺集市', nameEn: 'Jinguisi Market', anchor: 'road' },
]

/** Surnames common among the Bai of Dali, repeated roughly by frequency. */
export const SURNAMES = [
  ...'杨杨杨杨杨杨赵赵赵李李李段段段张张董董尹尹严严何何王王苏苏施施杜洪罗陈周刘字寸毕',
]

/** First characters of two-character given names, men. */
export const MALE_FIRST = [...'建国志永光德文家学绍继明庆正春金树海']
/** Second characters of given names, men. */
export const MALE_SECOND = [...'华强明军平生林伟东祥荣才武忠良斌涛勇']
/** First characters of two-character given names, women. */
export const FEMALE_FIRST = [...'丽秀金玉桂美月春海雪彩凤慧晓丹']
/** Second characters of given names, women. */
export const FEMALE_SECOND = [...'芳英花兰珍梅琼娟萍红霞艳燕莲琴']
