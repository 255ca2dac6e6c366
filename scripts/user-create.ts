import { parseArgs } from 'node:util'
import { readConfig } from '../server/config.ts'
import { openEngine } from '../server/db/engine.ts'
import { migrate } from '../server/db/migrate.ts'
import { ROLES, type Role } from '../server/db/tables/auth.table.ts'
import { HttpError } from '../server/http-error.ts'
import { message } from '../server/i18n/messages.ts'
import { findUserCredentials, updatePasswordHash } from '../server/repositories/users.repository.ts'
import { generatePassword, hashPassword } from '../server/security/password.hash.ts'
import { assertPasswordAcceptable } from '../server/security/password.rules.ts'
import { createUser } from '../server/services/users.service.ts'
import { issueApiToken } from '../server/services/tokens.service.ts'

const usage = `Usage:
  npm run user:create -- --username NAME --role ROLE [--password PW] [--display-name NAME]
                         [--station KEY] [--grids 12,13] [--token "token name"]
  npm run user:create -- --username NAME --reset-password [--password PW]
Roles: ${ROLES.join(', ')}. Without --password a password is generated and printed once.
--token also issues a personal API token (printed once).`

const { values } = parseArgs({
  options: {
    username: { type: 'string' },
    role: { type: 'string' },
    password: { type: 'string' },
    'display-name': { type: 'string' },
    station: { type: 'string' },
    grids: { type: 'string' },
    token: { type: 'string' },
    'reset-password': { type: 'boolean' },
    help: { type: 'boolean' },
  },
})

if (values.help || !values.username) {
  console.log(usage)
  process.exit(values.help ? 0 : 2)
}

const config = readConfig()
const engine = await openEngine({ databaseUrl: config.databaseUrl, dataDir: config.dataDir })
try {
  await migrate(engine)
  const password = values.password ?? generatePassword()
  if (values['reset-password']) {
    const found = await findUserCredentials(engine.db, values.username)
    if (!found) throw new Error(`No user "${values.username}".`)
    assertPasswordAcceptable(password, values.username)
    await updatePasswordHash(engine.db, found.id, await hashPassword(password))
    console.log(`Password of "${values.username}" reset.${values.password ? '' : ` New password: ${password}`}`)
  } else {
    if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`)
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
        },
        null,
      ),
    )
    console.log(`Created user "${user.username}" (id ${user.id}, role ${user.role}).${values.password ? '' : ` Password: ${password}`}`)
    if (values.token) {
      const issued = await issueApiToken(engine.db, user.id, values.token)
      console.log(`API token "${issued.name}": ${issued.token}  (send as "Authorization: Bearer …"; shown only once)`)
    }
  }
} catch (error) {
  const text = error instanceof HttpError ? message(error.code, 'en', error.params) : (error as Error).message
  console.error(`user:create failed: ${text}`)
  process.exitCode = 1
} finally {
  await engine.close()
}
