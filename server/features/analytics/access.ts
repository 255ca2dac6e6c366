import type { Role } from '../../core/db/tables/auth.ts'
import type { Access } from '../../core/auth/access.ts'

/**
 * Who may use the analytics (risk map) routes.
 *
 * | route                                             | leader | dispatcher | station | grid_worker | admin |
 * |---------------------------------------------------|--------|------------|---------|-------------|-------|
 * | risk, explain, change, bins, clusters, arcs, KPIs, trend | yes | yes     | yes     | 403         | yes   |
 * | bins/cases (cases of one bin)                     | yes    | yes        | yes     | 403         | yes   |
 * | settings: read ("how is this computed")           | yes    | yes        | yes     | yes         | yes   |
 * | settings: change                                  | –      | –          | –       | –           | yes   |
 * | open a joint case (联调) on a cluster             | –      | yes        | –       | –           | yes   |
 * | … spanning towns (and closing it)                | county dispatcher, county admin only              |
 * | vector tiles of hazards and disputes              | all    | all        | all     | own grids + cases they registered | all |
 *
 * County leaders and county dispatchers read every route above across towns (the
 * dispute clusters then span town borders); town users read their own town.
 *
 * Grid workers are refused (403) rather than given a partial picture: a risk
 * score, a bin count or a KPI computed over only their grids would look like
 * the township's and mislead. The vector tiles are a rendering of the case
 * layers, so they follow the case-read rule instead. Key persons appear only
 * as counts (per colour, per area or bin) for every role, never as identities.
 */
export const ANALYTICS_ROLES = {
  read: ['leader', 'dispatcher', 'station', 'admin', 'county_leader', 'county_dispatcher'],
  settingsWrite: ['admin'],
  // The county dispatcher opens and closes joint cases across towns (a town sees only its own disputes).
  jointCase: ['dispatcher', 'admin', 'county_dispatcher'],
} as const satisfies Record<string, readonly Role[]>

/** Access of an analytics route: `roles`, with grid workers told why they are refused. */
export function analyticsAccess(roles: readonly Role[] = ANALYTICS_ROLES.read): Access {
  return { roles, refusals: { grid_worker: 'analytics_grid_worker' } }
}

/** Access of the risk-map reading routes. */
export const ANALYTICS_ACCESS: Access = analyticsAccess()
