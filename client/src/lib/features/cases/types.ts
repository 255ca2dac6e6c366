import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type { Role } from '../../api/types';

/** The two kinds of case drawn on the map. */
export type CaseKind = 'hazard' | 'dispute';

/** Statuses of a hazard (隐患), in workflow order. */
export const HAZARD_STATUSES = ['reported', 'verified', 'rectifying', 'rectified', 'closed', 'unfounded'] as const;
/** A hazard status. */
export type HazardStatus = (typeof HAZARD_STATUSES)[number];

/** Statuses of a dispute (矛盾纠纷) along the six-step method, in workflow order. */
export const DISPUTE_STATUSES = ['registered', 'dispatched', 'escalated', 'resolved', 'fed_back', 'evaluated'] as const;
/** A dispute status. */
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** Any case status. */
export type CaseStatus = HazardStatus | DisputeStatus;

/** Hazard severities. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
/** A hazard severity. */
export type Severity = (typeof SEVERITIES)[number];

/** Dispute tiers: general 一般, complex 疑难, major 重大. */
export const TIERS = ['general', 'complex', 'major'] as const;
/** A dispute tier. */
export type Tier = (typeof TIERS)[number];

/** Where a case came from. */
export const SOURCES = ['grid_worker', 'walk_in', 'hotline', 'department'] as const;
/** A case source (`lead` is set by the server when a lead is converted). */
export type CaseSource = (typeof SOURCES)[number] | 'lead';

/** Mediation modes of a resolution. */
export const MEDIATION_MODES = ['pre_litigation', 'jinhua', 'apeng', 'expert', 'other'] as const;
/** A mediation mode. */
export type MediationMode = (typeof MEDIATION_MODES)[number];

/** Outcomes of a resolution. */
export const OUTCOMES = ['agreement', 'withdrawn', 'litigation', 'failed'] as const;
/** A resolution outcome. */
export type Outcome = (typeof OUTCOMES)[number];

/** Supervision colour of a case (督办). */
export type DeadlineState = 'ok' | 'near' | 'overdue' | 'done';

/** The seven stations of the "1+7" structure, by stable key. */
export const STATIONS = ['litigation', 'procuratorate', 'police', 'legal-mediation', 'petition', 'social-work', 'women-children'] as const;
/** A station key. */
export type StationKey = (typeof STATIONS)[number];

/** Workflow actions of a dispute. */
export const DISPUTE_ACTIONS = ['dispatch', 'escalate', 'resolve', 'feedback', 'evaluate'] as const;
/** Workflow actions of a hazard. */
export const HAZARD_ACTIONS = ['verify', 'reject', 'start-rectification', 'rectify', 'close'] as const;
/** Any workflow action. */
export type CaseAction = (typeof DISPUTE_ACTIONS)[number] | (typeof HAZARD_ACTIONS)[number];

/** An area as recorded on a case (the boundary version in force when it was reported). */
export interface RecordedArea {
  id: number;
  version: number;
  code: string;
  name: string;
  nameEn?: string | null;
}

/** A party of a dispute. */
export interface CaseParty {
  seq: number;
  name: string;
  role: string;
  phone: string | null;
  homeVillageId: number;
  homeVillageName: string | null;
}

/** A hazard or dispute as the API shows it (`CaseSchema`). */
export interface CaseProps {
  id: number;
  kind: CaseKind;
  status: CaseStatus;
  allowedActions: CaseAction[];
  category: string;
  description: string;
  severity: Severity | null;
  tier: Tier | null;
  source: CaseSource;
  reporterName: string;
  reporterPhone: string | null;
  leadId: number | null;
  crossVillage: boolean;
  lon: number;
  lat: number;
  reportedAt: string;
  registeredAt: string;
  registeredBy: number;
  village: RecordedArea;
  baseGrid: RecordedArea | null;
  fineGrid: RecordedArea | null;
  deadlineAt: string;
  deadlineState: DeadlineState;
  stationKey: string | null;
  villageCenterId: number | null;
  mediatorName: string | null;
  dispatchedAt: string | null;
  escalatedAt: string | null;
  escalationDepartment: string | null;
  escalationReason: string | null;
  mediationMode: MediationMode | null;
  outcome: Outcome | null;
  outcomeNote: string | null;
  resolvedAt: string | null;
  feedbackNote: string | null;
  fedBackAt: string | null;
  satisfaction: number | null;
  timely: boolean | null;
  evaluationNote: string | null;
  evaluatedAt: string | null;
  verifiedAt: string | null;
  verificationNote: string | null;
  rectificationPlan: string | null;
  rectificationNote: string | null;
  rectifiedAt: string | null;
  closedAt: string | null;
  parties: CaseParty[];
  version: number;
  updatedAt: string;
}

/** A case as a GeoJSON point feature. */
export type CaseFeature = Feature<Point, CaseProps> & { id: number };

/** `GET /api/collections/{hazards|disputes}/items` answer. */
export interface CaseCollection extends FeatureCollection<Point, CaseProps> {
  features: CaseFeature[];
  numberMatched?: number;
}

/** One ledger entry (台账) of a case. */
export interface CaseEvent {
  id: number;
  at: string;
  userId: number;
  username: string;
  role: Role | string;
  action: string;
  statusFrom: string | null;
  statusTo: string;
  version: number;
  changes: Record<string, { before: unknown; after: unknown }>;
  reason: string | null;
}

/** `GET /api/cases/{kind}/{id}/timeline` answer. */
export interface CaseTimeline {
  kind: CaseKind;
  id: number;
  status: string;
  version: number;
  events: CaseEvent[];
}

/** Legend counts of one kind. */
export interface KindCounts {
  byStatus: Partial<Record<string, number>>;
  openByDeadlineState: Partial<Record<DeadlineState, number>>;
}

/** `GET /api/cases/counts` answer. */
export interface CaseCounts {
  hazard: KindCounts;
  dispute: KindCounts;
}

/** A category and its default station (`GET /api/routing-rules`). */
export interface RoutingRule {
  kind: CaseKind;
  category: string;
  nameZh: string;
  nameEn: string;
  stationKey: string;
  sortOrder: number;
}

/** One entry of the dispatch queue (`GET /api/dispatch/queue`). */
export interface QueueItem {
  case: CaseProps;
  suggestedStation: string | null;
  mustEscalate: boolean;
}

/** A live event (`event: case` of `GET /api/events/stream`). */
export interface LiveCaseEvent {
  kind: CaseKind | 'lead';
  id: number;
  status: string;
  action: string;
  at: string;
}

/** Registration properties shared by hazards and disputes. */
interface RegistrationBase {
  category: string;
  description: string;
  source: CaseSource;
  reporterName: string;
  reporterPhone?: string;
}

/** A party at registration. */
export interface PartyInput {
  name: string;
  homeVillageId: number;
  role?: 'applicant' | 'respondent' | 'party';
  phone?: string;
}

/** Properties of a hazard registration. */
export interface HazardRegistration extends RegistrationBase {
  severity: Severity;
}

/** Properties of a dispute registration. */
export interface DisputeRegistration extends RegistrationBase {
  tier: Tier;
  parties: PartyInput[];
}

/** Four-colour management levels, most attention first. */
export const COLOURS = ['red', 'orange', 'yellow', 'green'] as const;
/** A four-colour level. */
export type Colour = (typeof COLOURS)[number];

/** Visit state of a key person. */
export type VisitState = 'ok' | 'due_soon' | 'overdue';

/** An area reference on a key person. */
export interface PersonArea {
  id: number;
  version: number;
  code: string;
  name: string;
  nameEn: string | null;
}

/**
 * A key person as the API shows it: identity number (last four only), phone
 * and address masked, an age band instead of the birth year, and the
 * household as a point of its fine grid (never the exact household).
 */
export interface KeyPerson {
  id: number;
  name: string;
  gender: 'male' | 'female' | null;
  /** Ten-year band, e.g. `40–49`. */
  ageBand: string | null;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  /** A point inside the area `householdPrecision` names, not the household itself. */
  household: { lon: number; lat: number } | null;
  householdPrecision: 'fine_grid' | 'base_grid' | 'village' | null;
  category: string;
  colour: Colour;
  status: 'in_management' | 'away' | 'released';
  village: PersonArea;
  baseGrid: PersonArea | null;
  fineGrid: PersonArea | null;
  responsibleUser: { id: number; username: string } | null;
  note: string;
  lastVisitAt: string | null;
  nextVisitDue: string | null;
  visitState: VisitState | null;
  version: number;
}

/** A key person feature (properties carry no `id`: it is the feature id). */
export type KeyPersonFeature = Feature<Point, Omit<KeyPerson, 'id'>> & { id: number };

/** A field that can be revealed with a reason. */
export type RevealField = 'idNumber' | 'phone' | 'address';

/** How a visit was made. */
export type VisitKind = 'home' | 'phone' | 'other';

/** A visit (走访). */
export interface Visit {
  id: number;
  personId: number;
  visitor: { id: number; username: string };
  visitedAt: string;
  kind: VisitKind;
  note: string;
  colour: Colour;
  nextDue: string;
}

/** Properties of a heat-layer grid (`GET /api/key-persons/heat`). */
export interface HeatProps {
  level: string;
  code: string;
  name: string;
  nameEn: string | null;
  /** Null = suppressed: fewer than k persons (counts-only roles; the others are rounded to a multiple of k). */
  total: number | null;
  red: number | null;
  orange: number | null;
  yellow: number | null;
  green: number | null;
  overdue: number | null;
  dueSoon: number | null;
  suppressed: boolean;
  weight: number | null;
}

/** The heat layer: grid outlines with counts, no identities. */
export type HeatCollection = FeatureCollection<Polygon | MultiPolygon, HeatProps>;

/** A key-person category (`GET /api/key-persons/settings`). */
export interface PersonCategory {
  key: string;
  labelZh: string;
  labelEn: string;
  active: boolean;
}

/** `GET /api/key-persons/summary?groupBy=colour` answer (counts only). */
export interface PersonSummary {
  /** Null = suppressed (fewer than `protection.minCount`). */
  total: number | null;
  /** Null when the counts are exact (roles that see every person). */
  protection: { minCount: number; roundedTo: number } | null;
  groups: { key: string | number | null; total: number | null; overdue: number | null; dueSoon: number | null; suppressed: boolean }[];
}
