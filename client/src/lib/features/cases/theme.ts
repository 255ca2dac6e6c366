import type { Colour, DeadlineState, DisputeStatus, HazardStatus } from './types';

/** Point colour of each hazard status: warm while open, green once rectified, grey when ended. */
export const HAZARD_STATUS_COLORS: Record<HazardStatus, string> = {
  reported: '#f59f00',
  verified: '#e8590c',
  rectifying: '#c2255c',
  rectified: '#2f9e44',
  closed: '#868e96',
  unfounded: '#b8bec6',
};

/** Point colour of each dispute status: violet when new, blue in hand, red escalated, green resolved. */
export const DISPUTE_STATUS_COLORS: Record<DisputeStatus, string> = {
  registered: '#7048e8',
  dispatched: '#1c7ed6',
  escalated: '#c92a2a',
  resolved: '#2f9e44',
  fed_back: '#0c8599',
  evaluated: '#868e96',
};

/** Cluster fill of each kind. */
export const KIND_CLUSTER_COLORS = { hazard: '#d9480f', dispute: '#3b5bdb' } as const;

/** Ring colour of each deadline state (督办): yellow near, red overdue, white otherwise. */
export const DEADLINE_COLORS: Record<DeadlineState, string> = {
  ok: '#ffffff',
  near: '#fcc419',
  overdue: '#e03131',
  done: '#ffffff',
};

/** Four-colour management colours (四色管理). */
export const PERSON_COLORS: Record<Colour, string> = {
  red: '#e03131',
  orange: '#f76707',
  yellow: '#f2c200',
  green: '#2f9e44',
};
