import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { BOUNDARY_BODY_LIMIT_BYTES } from './limits.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { findChanges, findLineage } from '../history/history.repository.ts'
import {
  createArea,
  mergeAreas,
  retireArea,
  saveAreaEdits,
  splitArea,
} from './edit.service.ts'
import { previewBoundaryImpact } from './impact.service.ts'
import {
  BatchBody,
  BoundaryResultSchema,
  CreateBody,
  ImpactBody,
  ImpactResultSchema,
  MergeBody,
  RetireBody,
  SplitBody,
  ValidateBody,
} from './boundaries.schemas.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { roles, STAFF } from '../../../core/auth/access.ts'
import { toBoundaryResultDto } from './result-dto.ts'

/** The impact preview is read-only: the dispatcher, who re-dispatches the cases it moves, may run it too. */
const SAVE_ERRORS = errorResponses(400, 401, 403, 404, 412, 422, 428)

/**
 * Boundary editing (issue 5): validation, batch edits of neighbours,
 * split, merge, retire and create, lineage and the change log.
 *
 * Status codes: 400 for input hygiene (malformed GeoJSON, 3D, unclosed or
 * self-intersecting rings, points outside the township…), 422 when a
 * well-formed geometry breaks the grid rules (outside its parent, overlap
 * with a sibling, a child left outside, spikes), both with `problems`
 * (kind, message, areaId, geometry) for the map; 428 without If-Match,
 * 412 with the current Feature when stale. Gaps are warnings, never refusals.
 */
const boundariesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/validate',
    {
      config: { access: roles('admin') },
      bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Check proposed geometries (existing areas and/or a new grid) without saving (admin)',
        description:
          'Answers 200 with `valid`, `problems` (would refuse a save with 422) and `warnings` (gaps). Input hygiene failures are 400. ' +
          'Tolerance: `toleranceM2` (default 1 m², measured on the ellipsoid).',
        body: ValidateBody,
        response: { 200: BoundaryResultSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const options = { by: user.username, reason: 'validation', lang: request.lang, toleranceM2: request.body.toleranceM2, dryRun: true }
      const { areas, create } = request.body
      if (!areas && !create) throw new HttpError(400, 'bad_request', { detail: 'send areas and/or create' })
      return app.db.transaction().execute(async (trx) => {
        if (create) {
          const result = await createArea(trx, { ...create, name: 'validation' }, options)
          return toBoundaryResultDto(result)
        }
        return toBoundaryResultDto(await saveAreaEdits(trx, areas!, options))
      })
    },
  )

  app.patch(
    '/batch',
    {
      config: { access: roles('admin') },
      bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Save new geometries of several areas at once (a shared vertex moved in both neighbours): all or nothing (admin)',
        description: 'Each area needs `ifMatch` (428 without, 412 when stale: nothing is saved).',
        body: BatchBody,
        response: { 200: BoundaryResultSchema, ...SAVE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request)
      if (request.body.areas.some((area) => area.ifMatch === undefined)) throw new HttpError(428, 'boundary_if_match_required')
      const result = await app.db.transaction().execute((trx) =>
        saveAreaEdits(trx, request.body.areas, { by: user.username, reason: request.body.reason, lang: request.lang }),
      )
      return toBoundaryResultDto(result)
    },
  )

  app.post(
    '/split',
    {
      config: { access: roles('admin') },
      bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Split a grid along a line into new grids; the old one is retired and codes renumbered (admin)',
        body: SplitBody,
        response: { 200: BoundaryResultSchema, ...SAVE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { reason, ...input } = request.body
      const result = await app.db.transaction().execute((trx) => splitArea(trx, input, { by: user.username, reason, lang: request.lang }))
      return toBoundaryResultDto(result)
    },
  )

  app.post(
    '/merge',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Boundaries'],
        summary: 'Merge adjacent sibling grids into one new grid; the old ones are retired and codes renumbered (admin)',
        body: MergeBody,
        response: { 200: BoundaryResultSchema, ...SAVE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { reason, ...input } = request.body
      const result = await app.db.transaction().execute((trx) => mergeAreas(trx, input, { by: user.username, reason, lang: request.lang }))
      return toBoundaryResultDto(result)
    },
  )

  app.post(
    '/retire',
    {
      config: { access: roles('admin') },
      schema: {
        tags: ['Boundaries'],
        summary: 'Retire a grid by merging it into an adjacent sibling, which keeps its identity (admin)',
        body: RetireBody,
        response: { 200: BoundaryResultSchema, ...SAVE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { reason, ...input } = request.body
      const result = await app.db.transaction().execute((trx) => retireArea(trx, input, { by: user.username, reason, lang: request.lang }))
      return toBoundaryResultDto(result)
    },
  )

  app.post(
    '/create',
    {
      config: { access: roles('admin') },
      bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Create a grid in uncovered space of a village or base grid; siblings are renumbered (admin)',
        body: CreateBody,
        response: { 200: BoundaryResultSchema, ...SAVE_ERRORS },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const { reason, ...input } = request.body
      const result = await app.db.transaction().execute((trx) => createArea(trx, input, { by: user.username, reason, lang: request.lang }))
      return toBoundaryResultDto(result)
    },
  )

  app.post(
    '/impact',
    {
      config: { access: roles('admin', 'dispatcher') },
      bodyLimit: BOUNDARY_BODY_LIMIT_BYTES,
      schema: {
        tags: ['Boundaries'],
        summary: 'Preview what a boundary edit, split or merge would move, without saving (admin, dispatcher)',
        description:
          'Send exactly one of `edit` ({ areas: [{ areaId, geometry }] } as the batch), `split` ({ areaId, line }) or `merge` ({ areaIds }); ' +
          'versions are not needed, nothing is saved (the dry-run planning of the edit routes). Answers the validation outcome and, per area ' +
          'reshaped, created or retired, households and population before and after. After is an area-weighted estimate: each current area ' +
          'shares its figures among the proposed areas of its level in proportion to the m² of it each one covers (whole numbers, largest ' +
          'remainders; a share falling into a gap is lost). Then open cases (status not final in its workflow) whose point would lie in another ' +
          'area, per from→to with the case ids; active key persons (in management or away, not archived) per from→to as counts only, never ids ' +
          'or names; the load (open cases + key persons) of each grid worker serving a changed area (staff with duty worker, users of role ' +
          'grid_worker through their grids), now and after; and `changes`, the changed part of each area (old △ new) as GeoJSON for the map. ' +
          'A negative id is an area the change would create.',
        body: ImpactBody,
        response: { 200: ImpactResultSchema, ...errorResponses(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const user = currentUser(request)
      const impact = await app.db.transaction().execute((trx) => previewBoundaryImpact(trx, request.body, user.username, request.lang))
      const { preview, ...rest } = impact
      return { valid: preview.problems.length === 0, problems: preview.problems, warnings: preview.warnings, ...rest }
    },
  )

  app.get(
    '/lineage',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Boundaries'],
        summary: 'How a code passed between areas (split, merge, renumber, create, retire)',
        querystring: Type.Object({ code: Type.String({ pattern: '^[0-9]{12,18}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ code: Type.String(), lineage: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const rows = await findLineage(app.db, request.query.code)
      return { code: request.query.code, lineage: rows.map((row) => ({ ...row, at: row.at.toISOString() })) }
    },
  )

  app.get(
    '/changes',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Boundaries'],
        summary: 'Boundary changes, newest first: who, when, why and the versions written',
        querystring: Type.Object(
          { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), offset: Type.Optional(Type.Integer({ minimum: 0 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), changes: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { rows, total } = await findChanges(app.db, request.query.limit ?? 50, request.query.offset ?? 0)
      return { total, changes: rows.map((row) => ({ ...row, at: new Date(row.at).toISOString() })) }
    },
  )
}

export default boundariesRoutes
