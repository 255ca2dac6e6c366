import type { Lang, Template } from '../template.ts'

/** Error messages of database faults and jobs, in Simplified Chinese and English. */
export const FAULTS_MESSAGES = {
  database_unavailable: {
    zh: (p) => `数据库暂时不可用，请稍后重试（约 ${p.retryAfterSeconds ?? 5} 秒后）；本次请求未完成，如是修改操作请刷新确认后再提交。如持续出现，请联系系统管理员检查数据库服务`,
    en: (p) =>
      `The database is temporarily unavailable; try again in about ${p.retryAfterSeconds ?? 5} s (this request did not complete; if it was a change, reload to check before sending it again). ` +
      'If it persists, ask the system administrator to check the database server',
  },
  boundary_import_interrupted: {
    zh: () => '导入任务因服务器重启而中断，未写入任何边界变更。请重新上传该文件',
    en: () => 'The import was interrupted by a server restart and wrote no boundary change. Upload the file again',
  },
} satisfies Record<string, Record<Lang, Template>>
