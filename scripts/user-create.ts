import { parseArgs } from 'node:util'
import { readConfig } from '../server/config.ts'
import { openScriptDatabase } from './open-database.ts'
import { migrate } from '../server/core/db/migrate.ts'
import { ROLES, type Role } from '../server/core/db/tables/auth.ts'
import { HttpError } from '../server/core/http/http-error.ts'
import { message } from '../server/core/i18n/messages.ts'
import { insertAuditEntry } from '../server/core/audit/audit.repository.ts'
import { deleteUserSessions, revokeUserTokens } from '../server/core/auth/credentials.repository.ts'
import { findUserCredentials, updatePasswordHash } from '../server/core/auth/users.repository.ts'
import { generatePassword, hashPassword } from '../server/features/users/password-hash.ts'
import { assertPasswordAcceptable } from '../server/features/users/password-rules.ts'
import { createUser } from '../server/features/users/users.service.ts'
import { resolveTownOption } from './user-town.ts'
import { DEFAULT_TOKEN_DAYS, issueApiToken, MAX_TOKEN_DAYS } from '../server/features/users/tokens.service.ts'

const usage = `Usage:
  npm run user:create -- --username NAME --role ROLE [--password PW] [--display-name NAME]
                         [--town ID|CODE] [--station KEY] [--grids 12,13] [--token "token name" [--token-days N]]
  npm run user:create -- --username NAME --reset-password [--password PW]
Roles: ${ROLES.join(', ')} (security_admin: credentials and roles; audit_admin: reads the audit log).
--town: the user's town, by id or code (12 digits, or the 9-digit county + township prefix); required for
  leader, dispatcher, station and grid_worker when there are several towns; refused for county_leader and
  county_dispatcher; an administrator without --town is a county administrator (every town).
Without --password a password is generated and printed once.
--token also issues a personal API token (printed once), valid --token-days days (default ${DEFAULT_TOKEN_DAYS}, at most ${MAX_TOKEN_DAYS}).
--reset-password also ends every session and revokes every API token of the user (audited as "cli").`

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
    'display-name': { type: 'string' },
    station: { type: 'string' },
    town: { type: 'string' },
    grids: { type: 'string' },
    token: { type: 'string' },
    'token-days': { type: 'string' },
    'reset-password': { type: 'boolean' },
    help: { type: 'boolean' },
  },
})

if (values.help || !values.username) {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}

const tokenDays = values['token-days'] === undefined ? DEFAULT_TOKEN_DAYS : Number(values['token-days'])
if (!Number.isInteger(tokenDays) || tokenDays < 1 || tokenDays > MAX_TOKEN_DAYS) {
  console.error(`user:create failed: --token-days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`)
  process.exit(2)
}

/** Who the audit log names for changes made from the command line. */
const CLI_ACTOR = { userId: null, username: 'cli', role: 'system', ip: null }

const config = readConfig()
const engine = await openScriptDatabase('user:create', config)
try {
  await migrate(engine)
  const password = values.password ?? generatePassword()
  if (values['reset-password']) {
    const found = await findUserCredentials(engine.db, values.username)
    if (!found) throw new Error(`No user "${values.username}".`)
    assertPasswordAcceptable(password, values.username)
    const passwordHash = await hashPassword(password)
    // A reset ends every old session and token, as the security administrator's reset does.
    const ended = await engine.db.transaction().execute(async (trx) => {
      await updatePasswordHash(trx, found.id, passwordHash)
      const sessions = await deleteUserSessions(trx, found.id)
      const tokens = await revokeUserTokens(trx, found.id, null)
      await insertAuditEntry(trx, CLI_ACTOR, {
        action: 'password_reset',
        subjectKind: 'user',
        subjectIds: [found.id],
        detail: { credential: 'all', sessions, tokens, outcome: 'done' },
      })
      return { sessions, tokens }
    })
    console.log(
      `Password of "${values.username}" reset; ${ended.sessions} session(s) ended, ${ended.tokens} API token(s) revoked.` +
        (values.password ? '' : ` New password: ${password}`),
    )
  } else {
    if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`)
    const townId = await resolveTownOption(engine.db, values.role as Role, values.town)
    const gridIds = values.grids ? values.grids.split(',').map((id) => Number(id.trim())) : undefined
    const user = await engine.db.transaction().execute((trx) =>
      createUser(
        trx,
        {
          username: values.username!,
          password,
          role: values.role as Role,
          displayName: values['display-name'],
          stationKey: values.station,
          gridIds,
          townId,
        },
        null,
      ),
    )
    console.log(`Created user "${user.username}" (id ${user.id}, role ${user.role}, ${user.townId === null ? 'county' : `town ${user.townId}`}).${values.password ? '' : ` Password: ${password}`}`)
    if (values.token) {
      const issued = await issueApiToken(engine.db, user.id, values.token, tokenDays)
      console.log(`API token "${issued.name}": ${issued.token}  (send as "Authorization: Bearer …"; shown only once; expires ${issued.expiresAt})`)
    }
  }
} catch (error) {
  const text = error instanceof HttpError ? message(error.code, 'en', error.params) : (error as Error).message
  console.error(`user:create failed: ${text}`)
  process.exitCode = 1
} finally {
  await engine.close()
}
