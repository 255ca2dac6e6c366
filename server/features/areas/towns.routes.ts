import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { listTowns } from './towns.repository.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { userScope } from '../../core/auth/scope.ts'

const TownSchema = Type.Object({
  id: Type.Integer({ description: 'Id of the town area' }),
  code: Type.String({ description: '12-digit code: county (6) + town (3) + 000' }),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
})

/** The towns of the county: all of them for county users, their own for town users. */
const townsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Areas'],
        summary: 'Towns in the caller\'s scope, by code (county users: every town of the county; town users: their own)',
        response: { 200: Type.Object({ towns: Type.Array(TownSchema) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ towns: await listTowns(app.db, userScope(currentUser(request))) }),
  )
}

export default townsRoutes
