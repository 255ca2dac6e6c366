import type { Position } from '../../../server/core/postgis/geometry.ts'

/** One town of the synthetic county other than Xizhou (which keeps its own generator and data). */
export interface CountyTownSpec {
  /** Folder under `geodata/county/` and prefix of the town's usernames and staff keys. */
  slug: string
  /** Township segment of the codes: 镇 (towns) 1xx, 乡 (townships) 2xx, as in the national scheme. */
  townshipSeq: number
  name: string
  nameEn: string
  /** Where the town's Voronoi seed sits before jitter. */
  seed: Position
  /** Residents. */
  population: number
  /** Relative share of fine grids that are urban and dense (more fine grids per base grid). */
  urban: number
}

/**
 * The other seven towns, named after the townships of Dali city (county code 532901)
 * and placed roughly where they lie along the west shore of Erhai; every
 * boundary and figure is synthetic. Listed in the order they are loaded.
 */
export const COUNTY_TOWNS: CountyTownSpec[] = [
  { slug: 'shangguan', townshipSeq: 102, name: '上关镇', nameEn: 'Shangguan Town', seed: [100.1, 25.99], population: 38_400, urban: 0.2 },
  { slug: 'wanqiao', townshipSeq: 103, name: '湾桥镇', nameEn: 'Wanqiao Town', seed: [100.13, 25.735], population: 31_600, urban: 0.2 },
  { slug: 'yinqiao', townshipSeq: 104, name: '银桥镇', nameEn: 'Yinqiao Town', seed: [100.125, 25.668], population: 36_200, urban: 0.3 },
  { slug: 'dali', townshipSeq: 105, name: '大理镇', nameEn: 'Dali Town', seed: [100.12, 25.605], population: 67_800, urban: 0.6 },
  { slug: 'xiaguan', townshipSeq: 106, name: '下关镇', nameEn: 'Xiaguan Town', seed: [100.13, 25.545], population: 148_500, urban: 0.9 },
  { slug: 'fengyi', townshipSeq: 107, name: '凤仪镇', nameEn: 'Fengyi Town', seed: [100.02, 25.565], population: 52_300, urban: 0.3 },
  { slug: 'taiyi', townshipSeq: 201, name: '太邑彝族乡', nameEn: 'Taiyi Yi Ethnic Township', seed: [100.0, 25.8], population: 9_100, urban: 0 },
]

/** Village name stems (zh, pinyin) drawn without repetition for the other towns' villages (村). */
export const VILLAGE_STEMS: Array<[string, string]> = [
  ['和平', 'Heping'], ['新民', 'Xinmin'], ['龙泉', 'Longquan'], ['石坪', 'Shiping'], ['上登', 'Shangdeng'],
  ['下登', 'Xiadeng'], ['马久邑', 'Majiuyi'], ['大庄', 'Dazhuang'], ['小邑庄', 'Xiaoyizhuang'], ['阳和', 'Yanghe'],
  ['东庄', 'Dongzhuang'], ['西庄', 'Xizhuang'], ['北庄', 'Beizhuang'], ['南庄', 'Nanzhuang'], ['白塔', 'Baita'],
  ['龙凤', 'Longfeng'], ['凤鸣', 'Fengming'], ['金星', 'Jinxing'], ['银河', 'Yinhe'], ['玉华', 'Yuhua'],
  ['宝林', 'Baolin'], ['太和', 'Taihe'], ['古生', 'Gusheng'], ['向阳', 'Xiangyang'], ['富美邑', 'Fumeiyi'],
  ['石岭', 'Shiling'], ['清平', 'Qingping'], ['松坪', 'Songping'], ['岩脚', 'Yanjiao'], ['石门', 'Shimen'],
  ['荷花', 'Hehua'], ['三文笔', 'Sanwenbi'], ['五里桥', 'Wuliqiao'], ['七里桥', 'Qiliqiao'], ['刘官厂', 'Liuguanchang'],
  ['双鸳', 'Shuangyuan'], ['中庄', 'Zhongzhuang'], ['龙龛', 'Longkan'], ['塔桥', 'Taqiao'], ['洱滨', 'Erbin'],
  ['福星', 'Fuxing'], ['云峰', 'Yunfeng'], ['长育', 'Changyu'], ['新邑', 'Xinyi'], ['永乐', 'Yongle'],
  ['安乐', 'Anle'], ['振兴', 'Zhenxing'], ['团结', 'Tuanjie'], ['红山', 'Hongshan'], ['青山', 'Qingshan'],
  ['碧溪', 'Bixi'], ['清源', 'Qingyuan'], ['花园', 'Huayuan'], ['桂花', 'Guihua'], ['梅园', 'Meiyuan'],
  ['竹林', 'Zhulin'], ['松林', 'Songlin'], ['柏树', 'Baishu'], ['杨柳', 'Yangliu'], ['荷塘', 'Hetang'],
  ['莲花', 'Lianhua'], ['文峰', 'Wenfeng'], ['文昌', 'Wenchang'], ['兴隆', 'Xinglong'], ['丰乐', 'Fengle'],
  ['大营', 'Daying'], ['小营', 'Xiaoying'], ['上营', 'Shangying'], ['下营', 'Xiaying'], ['前所', 'Qiansuo'],
  ['后所', 'Housuo'], ['官庄', 'Guanzhuang'], ['李家', 'Lijia'], ['张家', 'Zhangjia'], ['赵家', 'Zhaojia'],
  ['杨家', 'Yangjia'], ['段家', 'Duanjia'], ['董家', 'Dongjia'], ['江西', 'Jiangxi'], ['江东', 'Jiangdong'],
  ['河头', 'Hetou'], ['河尾', 'Hewei'], ['水井', 'Shuijing'], ['温泉', 'Wenquan'], ['石坝', 'Shiba'],
  ['甸中', 'Dianzhong'], ['甸头', 'Diantou'], ['凤羽', 'Fengyu'], ['金河', 'Jinhe'], ['玉龙', 'Yulong'],
  ['三合', 'Sanhe'], ['四联', 'Silian'], ['六合', 'Liuhe'], ['九龙', 'Jiulong'], ['百福', 'Baifu'],
  ['万花', 'Wanhua'], ['千户', 'Qianhu'], ['朝阳', 'Chaoyang'], ['晓光', 'Xiaoguang'], ['新华', 'Xinhua'],
  ['建设', 'Jianshe'], ['民主', 'Minzhu'], ['光明', 'Guangming'], ['幸福', 'Xingfu'], ['胜利', 'Shengli'],
  ['长乐', 'Changle'], ['太平', 'Taiping'], ['平安', 'Ping’an'], ['吉祥', 'Jixiang'],
  ['如意', 'Ruyi'], ['瑞丰', 'Ruifeng'], ['德胜', 'Desheng'], ['仁和', 'Renhe'], ['义和', 'Yihe'],
  ['礼乐', 'Lile'], ['智源', 'Zhiyuan'], ['金鸡', 'Jinji'], ['凤凰', 'Fenghuang'],
  ['麒麟', 'Qilin'], ['白鹤', 'Baihe'], ['黄龙', 'Huanglong'], ['青龙', 'Qinglong'], ['白虎山', 'Baihushan'],
]

/** Dedicated grids (专属网格) a village may get, named after the village stem. */
export const DEDICATED_KINDS = [
  { kind: 'school', zh: '完小', en: 'Primary School', weight: 5 },
  { kind: 'market', zh: '农贸市场', en: 'Farmers’ Market', weight: 3 },
  { kind: 'enterprise', zh: '农业合作社', en: 'Farm Cooperative', weight: 3 },
  { kind: 'scenic', zh: '风景区', en: 'Scenic Area', weight: 1 },
] as const
