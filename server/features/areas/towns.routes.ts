import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { listDivisions, listTowns } from './towns.repository.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { userScope } from '../../core/auth/scope.ts'

const TownSchema = Type.Object({
  id: Type.Integer({ description: 'Id of the town area' }),
  code: Type.String({ description: '12-digit code: county (6) + town (3) + 000' }),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
})

const DirectoryVillageSchema = Type.Object({
  id: Type.Integer({ description: 'Id of the village area' }),
  code: Type.String({ description: '12-digit code: county (6) + town (3) + village (3)' }),
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
})

/**
 * The towns of the county: all of them for county users, their own for town
 * users; and the directory of divisions (every town's villages, names and
 * codes only) for naming a party's home village across a town border.
 */
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

  app.get(
    '/villages',
    {
      config: { access: 'signed-in' },
      schema: {
        tags: ['Areas'],
        summary: 'Directory of divisions: every town of the county with its villages in force (names and codes only)',
        description:
          'Reference data, the same for every signed-in user: a dispute\'s party may live in any village of the county, ' +
          'so a town\'s dispatcher names a neighbouring town\'s village from here. Only ids, 12-digit codes and names: ' +
          'no geometry, population, grids, staff or cases of another town. `ownTownId` is the caller\'s town (null at the county).',
        response: {
          200: Type.Object({
            ownTownId: Type.Union([Type.Integer(), Type.Null()]),
            towns: Type.Array(Type.Object({ ...TownSchema.properties, villages: Type.Array(DirectoryVillageSchema) })),
          }),
          ...errorResponses(401),
        },
      },
    },
    async (request) => ({ ownTownId: currentUser(request).townId, towns: await listDivisions(app.db) }),
  )
}

export default townsRoutes
