import type { Lang, Template } from '../template.ts'

/** Error messages of browser hardening and limits, in Simplified Chinese and English. */
export const HARDENING_MESSAGES = {
  cross_site_request: {
    zh: (p) =>
      `已拒绝来自其他网站（${p.origin}）的修改请求：登录会话只能在本系统自己的页面中使用。请直接打开本系统操作；` +
      '若本系统页面也出现此提示，请管理员检查 PUBLIC_URL 和 TRUST_PROXY 设置是否与访问地址一致',
    en: (p) =>
      `Refused a change requested from another site (${p.origin}): the session may only be used from this app's own pages. ` +
      'Open the app directly; if its own pages get this answer, an administrator should check that PUBLIC_URL and TRUST_PROXY match the address users open',
  },
  origin_missing: {
    zh: () => '请求未说明来自哪个页面（缺少 Origin 头），已拒绝以登录会话进行修改。请在本系统页面中操作；脚本请改用 API 令牌（Authorization: Bearer …）',
    en: () => 'The request does not say which page sent it (no Origin header), so a change with the session cookie was refused. Use the app\'s pages, or an API token (Authorization: Bearer …) from scripts',
  },
  content_type_refused: {
    zh: (p) => `此接口不接受内容类型 ${p.type} 的请求体；请以 ${p.expected} 发送`,
    en: (p) => `This route does not take a ${p.type} body; send ${p.expected}`,
  },
  offset_too_large: {
    zh: (p) => `offset（${p.offset}）不能超过 ${p.max}。请用 bbox、时间或其他筛选条件缩小范围，而不是翻到这么深的页`,
    en: (p) => `offset (${p.offset}) may be at most ${p.max}. Narrow the request with bbox, datetime or other filters instead of paging this deep`,
  },
  photo_url_scheme: {
    zh: (p) => `照片地址“${p.url}”不被接受：只能是 http:// 或 https:// 地址，或本系统内以 / 开头的路径`,
    en: (p) => `The photo URL "${p.url}" is not accepted: use an http:// or https:// address, or a path of this app starting with /`,
  },
  photo_uploads_busy: {
    zh: (p) => `正在上传的照片过多（同时最多 ${p.max} 个上传），请 ${p.seconds} 秒后重试`,
    en: (p) => `Too many photo uploads at once (at most ${p.max}); try again in ${p.seconds} seconds`,
  },
  live_streams_limit: {
    zh: (p) => `您已打开 ${p.max} 个实时推送连接（每个标签页一个），已达上限。请关闭不用的本系统标签页后刷新`,
    en: (p) => `You already have ${p.max} live update streams open (one per tab), the most allowed. Close tabs of this app you do not use, then reload`,
  },
  import_archive_too_large: {
    zh: (p) => `压缩包解压后超过 ${p.limitMb} MB，已拒绝。请删去与边界无关的文件，或按村分成几个文件分批导入`,
    en: (p) => `The archive unpacks to more than ${p.limitMb} MB and was refused. Remove files unrelated to the boundaries, or split it into several imports (e.g. by village)`,
  },
  import_archive_too_many_entries: {
    zh: (p) => `压缩包内有 ${p.count} 个文件，超过上限 ${p.max}。请只打包 .shp、.shx、.dbf、.prj、.cpg（或 KMZ 中的 .kml）文件`,
    en: (p) => `The archive holds ${p.count} files, more than the ${p.max} allowed. Pack only the .shp, .shx, .dbf, .prj and .cpg files (or the .kml of a KMZ)`,
  },
} satisfies Record<string, Record<Lang, Template>>
