import { casesZh } from '../features/cases/messages.zh';
import { keyPersonsZh } from '../features/key-persons/messages.zh';
import { leadsZh } from '../features/cases/leads.zh';
import { analyticsZh } from '../features/analytics/messages.zh';
import { editorZh } from '../features/boundaries/messages.zh';
import { dashboardZh } from '../features/dashboard/messages.zh';
import { reportZh } from '../features/report/messages.zh';
import { boundaryIoZh } from '../features/boundaries/io.zh';
import { casePhotosZh } from '../features/cases/photos.zh';
import { auditZh } from '../features/audit/messages.zh';
import { accountZh } from '../features/account/messages.zh';
import { loginZh } from '../features/account/login.zh';
import { countyZh } from '../features/county/messages.zh';
import { ledgerImportZh } from '../features/ledger-import/messages.zh';

/**
 * Simplified Chinese dictionary: the reference set of message keys.
 *
 * Words follow the township's own vocabulary (see DOMAIN.md): 镇, 村(社区),
 * 基础网格, 精细网格, 专属网格, 网格长, 网格员, 户数, 人口, 综治服务中心.
 * Placeholders are written `{name}` and filled by `I18n.t`.
 */
export const zh = {
  ...casesZh,
  ...keyPersonsZh,
  ...leadsZh,
  ...analyticsZh,
  ...editorZh,
  ...dashboardZh,
  ...reportZh,
  ...boundaryIoZh,
  ...casePhotosZh,
  ...auditZh,
  ...accountZh,
  ...loginZh,
  ...ledgerImportZh,
  ...countyZh,
  'app.title': '网格治理一张图',
  'app.county': '全县',
  'app.sample': '示例数据',
  'app.sampleTooltip': '当前加载的是示例（合成）数据，边界、人员与数字均不代表真实情况',
  'app.loading': '正在加载…',
  'lazy.loading': '正在加载功能模块…',
  'lazy.failed': '功能模块加载失败：网络可能中断，或系统已更新。',
  'lazy.reload': '重新加载页面',

  'mode.label': '视图',
  'mode.map': '一张图',
  'mode.dashboard': '态势看板',
  'mode.boundaries': '边界编辑',

  'lang.label': '语言',
  'lang.zh': '中文',
  'lang.en': 'English',

  'login.heading': '登录',
  'login.subtitle': '乡镇网格化服务管理 · 综治服务中心',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.submitting': '正在登录…',
  'login.required': '请输入用户名和密码',
  'login.notice': '内部业务系统，仅限授权人员使用。操作将记入审计日志。',
  'login.tagline': '镇 · 村(社区) · 基础网格 · 精细网格，一张图掌握',

  'session.signOut': '退出登录',
  'session.expired': '登录已失效，请重新登录',

  'role.leader': '镇领导',
  'role.dispatcher': '综治中心调度员',
  'role.station': '站所工作人员',
  'role.grid_worker': '网格员',
  'role.admin': '系统管理员',

  'level.town': '镇',
  'level.village': '村(社区)',
  'level.base_grid': '基础网格',
  'level.fine_grid': '精细网格',

  'kind.school': '学校专属网格',
  'kind.market': '集市专属网格',
  'kind.scenic': '景区专属网格',
  'kind.enterprise': '企业专属网格',
  'kindShort.standard': '一般',
  'kindShort.school': '学校',
  'kindShort.market': '集市',
  'kindShort.scenic': '景区',
  'kindShort.enterprise': '企业',

  'layers.title': '图层',
  'layers.town': '镇界',
  'layers.villages': '村(社区)',
  'layers.baseGrids': '基础网格',
  'layers.fineGrids': '精细网格',
  'layers.dedicated': '专属网格',
  'layers.zoomIn': '放大至 {zoom} 级后显示',
  'layers.collapse': '收起图层面板',
  'layers.expand': '展开图层面板',
  'layers.fitTown': '全镇视图',
  'timeTravel.label': '区划日期',
  'timeTravel.hint': '选择过去的日期，地图显示当日（北京时间日终）生效的镇、村与网格边界',
  'timeTravel.past': '历史区划',
  'timeTravel.pastTitle': '地图显示的是 {date} 的区划，不是当前区划',
  'timeTravel.today': '回到今天',

  'basemap.title': '底图',
  'basemap.settings': '底图设置',
  'basemap.offline': '离线底图',
  'basemap.offlineHint': '内置，无需联网',
  'basemap.osm': 'OpenStreetMap',
  'basemap.osmHint': '需联网 · WGS84',
  'basemap.tianditu': '天地图',
  'basemap.tiandituHint': '需联网与密钥 · CGCS2000',
  'basemap.datumNote': '天地图采用 CGCS2000 坐标系，与 WGS84 相差仅厘米级，可与网格边界直接叠加；国内多数商业地图使用 GCJ-02 加偏坐标，会出现数百米错位，不宜叠加。',
  'basemap.onlineNote': '在线底图会向第三方服务器请求瓦片，默认关闭。离线底图随系统提供，断网可用。',
  'basemap.tiandituKey': '天地图密钥 (tk)',
  'basemap.tiandituKeyPlaceholder': '在天地图开放平台申请的浏览器端密钥',
  'basemap.saveKey': '保存并使用',
  'basemap.clearKey': '清除密钥',
  'basemap.keyRequired': '请先输入并保存天地图密钥',
  'basemap.keySaved': '密钥已保存在本机浏览器中',
  'basemap.close': '关闭',
  'basemap.tileError': '在线底图瓦片加载失败，请检查网络或天地图密钥',

  'panel.close': '关闭',
  'panel.expand': '展开详情',
  'panel.collapse': '收起详情',
  'panel.code': '编码',
  'panel.level': '层级',
  'panel.parent': '上级区域',
  'panel.leader': '网格长',
  'panel.workers': '网格员',
  'panel.leaderArea': '负责人',
  'panel.workersArea': '工作人员',
  'panel.none': '暂未配备',
  'panel.households': '户数',
  'panel.population': '人口',
  'panel.version': '版本',
  'panel.versionValue': '第 {version} 版',
  'panel.validFrom': '生效日期',
  'panel.changedBy': '变更人',
  'panel.changeReason': '变更原因',
  'panel.history': '版本信息',
  'panel.staff': '网格力量',
  'panel.synthetic': '示例数据：本区域的边界、人员与数字为合成数据，仅供演示。',
  'panel.loading': '正在加载区域信息…',
  'panel.retry': '重试',
  'panel.error': '无法加载区域信息',
  'panel.call': '拨打 {phone}',
  'panel.selectParent': '选中上级区域：{name}',

  'map.longitude': '经度',
  'map.latitude': '纬度',
  'map.zoom': '级别',
  'map.loadingAreas': '正在加载网格数据…',

  'toast.close': '关闭提示',
  'error.network': '无法连接服务器，请检查网络后重试',
  'error.status': '请求失败（{status}）',
} satisfies Record<string, string>;

/** Every message key of the application. */
export type MessageKey = keyof typeof zh;

/** A complete dictionary: each language file must provide exactly these keys. */
export type Dictionary = Record<MessageKey, string>;
