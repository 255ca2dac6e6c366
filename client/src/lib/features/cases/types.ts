import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson';
import type {
  CaseAction,
  CaseDto,
  CaseFeature as CaseFeatureDto,
  CaseKind,
  CaseSource,
  DisputeStatus,
  HazardStatus,
  MediationMode,
  Outcome,
  QueueItem as QueueItemDto,
  Severity,
  Tier,
} from '../../../../../server/features/cases/cases.schemas.ts';
import type { Colour, KeyPersonDto, RevealField as AnyRevealField, RevealedFields } from '../../../../../server/features/key-persons/key-persons.schemas.ts';

/*
 * The API contract of cases and key persons: types of the server's TypeBox schemas (`Static<>`),
 * imported as types only. The value lists below enumerate the same enums for menus and legends;
 * `satisfies` ties each to the server's type. The rest has no server schema (OGC item lists,
 * server-sent events, the heat layer are answered without a property schema).
 */
export type {
  CaseAction,
  CaseCounts,
  CaseEventDto as CaseEvent,
  CaseKind,
  CaseParty,
  CaseSource,
  CaseStatus,
  CaseTimeline,
  DeadlineState,
  DisputeRegistration,
  DisputeStatus,
  HazardRegistration,
  HazardStatus,
  KindCounts,
  MediationMode,
  Outcome,
  PartyInput,
  RecordedArea,
  RoutingRule,
  Severity,
  Tier,
} from '../../../../../server/features/cases/cases.schemas.ts';
export type {
  Colour,
  KeyPersonDto as KeyPerson,
  PersonCategory,
  PersonSummary,
  VisitDto as Visit,
  VisitKind,
  VisitState,
} from '../../../../../server/features/key-persons/key-persons.schemas.ts';

/** Statuses of a hazard (隐患), in workflow order. */
export const HAZARD_STATUSES = ['reported', 'verified', 'rectifying', 'rectified', 'closed', 'unfounded'] as const satisfies readonly HazardStatus[];

/** Statuses of a dispute (矛盾纠纷) along the six-step method, in workflow order. */
export const DISPUTE_STATUSES = ['registered', 'dispatched', 'escalated', 'resolved', 'fed_back', 'evaluated'] as const satisfies readonly DisputeStatus[];

/** Hazard severities. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const satisfies readonly Severity[];

/** Dispute tiers: general 一般, complex 疑难, major 重大. */
export const TIERS = ['general', 'complex', 'major'] as const satisfies readonly Tier[];

/** Where a case may come from at registration (`lead` is set by the server when a lead is converted). */
export const SOURCES = ['grid_worker', 'walk_in', 'hotline', 'department'] as const satisfies readonly CaseSource[];

/** Mediation modes of a resolution. */
export const MEDIATION_MODES = ['pre_litigation', 'jinhua', 'apeng', 'expert', 'other'] as const satisfies readonly MediationMode[];

/** Outcomes of a resolution. */
export const OUTCOMES = ['agreement', 'withdrawn', 'litigation', 'failed'] as const satisfies readonly Outcome[];

/** The seven stations of the "1+7" structure, by stable key (the server keeps them as data, not as an enum). */
export const STATIONS = ['litigation', 'procuratorate', 'police', 'legal-mediation', 'petition', 'social-work', 'women-children'] as const;
/** A station key. */
export type StationKey = (typeof STATIONS)[number];

/** Workflow actions of a dispute. */
export const DISPUTE_ACTIONS = ['dispatch', 'escalate', 'resolve', 'feedback', 'evaluate'] as const satisfies readonly CaseAction[];
/** Workflow actions of a hazard. */
export const HAZARD_ACTIONS = ['verify', 'reject', 'start-rectification', 'rectify', 'close'] as const satisfies readonly CaseAction[];

/**
 * A hazard or dispute as the API shows it (`CaseSchema`). The schema declares `allowedActions` as
 * strings; the server fills it from the workflows' action lists only (`caseAllowedActions` in
 * `server/features/cases/case-dto.ts`), so the client reads them as {@link CaseAction}s.
 */
export type CaseProps = Omit<CaseDto, 'allowedActions'> & { allowedActions: CaseAction[] };

/** A case as a GeoJSON point feature (`CaseFeatureSchema`), with {@link CaseProps}. */
export type CaseFeature = Omit<CaseFeatureDto, 'properties'> & { properties: CaseProps };

/** One entry of the dispatch queue (`GET /api/dispatch/queue`), with {@link CaseProps}. */
export type QueueItem = Omit<QueueItemDto, 'case'> & { case: CaseProps };

/** `GET /api/collections/{hazards|disputes}/items` answer (the OGC items route declares no feature schema). */
export interface CaseCollection extends FeatureCollection<Point, CaseProps> {
  features: CaseFeature[];
  numberMatched?: number;
}

/** A live event (`event: case` of `GET /api/events/stream`). */
export interface LiveCaseEvent {
  kind: CaseKind | 'lead';
  id: number;
  status: string;
  action: string;
  at: string;
}

/** Four-colour management levels, most attention first. */
export const COLOURS = ['red', 'orange', 'yellow', 'green'] as const satisfies readonly Colour[];

/** An area reference on a key person. */
export type PersonArea = KeyPersonDto['village'];

/**
 * A key person feature of the OGC collection: the properties are the API view without `id`
 * (it is the feature id) and without `household` (it is the geometry).
 */
export type KeyPersonFeature = Feature<Point, Omit<KeyPersonDto, 'id' | 'household'>> & { id: number };

/** The text fields the person panel reveals with a reason (the API also reveals `household` and `birthYear`). */
export type RevealField = Extract<AnyRevealField, 'idNumber' | 'phone' | 'address'>;
/** The answer of a reveal of {@link RevealField}s. */
export type RevealedText = Pick<RevealedFields, RevealField>;

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

/** `GET /api/towns/villages`: every town of the county with its villages in force (names and codes only). */
export interface VillageDirectory {
  /** The caller's town; null for a county user. */
  ownTownId: number | null;
  towns: Array<{ id: number; code: string; name: string; nameEn: string | null; villages: Array<{ id: number; code: string; name: string; nameEn: string | null }> }>;
}

/** A town's villages offered for a party's home village (names in the UI language). */
export interface VillageGroup {
  townId: number;
  townName: string;
  villages: Array<{ id: number; name: string }>;
}
