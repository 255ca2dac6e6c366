import type { Capabilities, Capability } from '../../../../../server/features/users/capabilities.ts';

export type { Capabilities, Capability };

/**
 * What a signed-out screen may offer: nothing. The signed-in user's
 * capabilities come from the server with the sign-in answer and
 * `GET /api/auth/me` (see `server/features/users/capabilities.ts`).
 */
export const NO_CAPABILITIES: Readonly<Capabilities> = Object.freeze({
  viewMap: false,
  viewDashboard: false,
  editBoundaries: false,
  readRisk: false,
  seeIdentities: false,
  registerCases: false,
  writeLeads: false,
  dispatchQueue: false,
  openJointCase: false,
  closeJointCase: false,
  readAudit: false,
  manageUsers: false,
  viewCounty: false,
  actOnEscalations: false,
});
