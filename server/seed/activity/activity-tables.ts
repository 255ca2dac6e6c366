import type { JsonInsertSpec } from './json-rows.repository.ts'

const TS = 'timestamptz'
const POINT = 'ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)'

/** Every column of `cases` (with its own id; the point from lon/lat). */
export const CASE_ROWS: JsonInsertSpec = {
  table: 'cases',
  ownIds: true,
  columns: {
    id: 'bigint', kind: 'text', status: 'text', category: 'text', description: 'text', severity: 'text', tier: 'text',
    source: 'text', reporter_name: 'text', reporter_phone: 'text', photos: 'jsonb', lead_id: 'bigint', cross_village: 'boolean',
    reported_at: TS, registered_at: TS, registered_by: 'bigint',
    village_id: 'bigint', village_version: 'integer', base_grid_id: 'bigint', base_grid_version: 'integer',
    fine_grid_id: 'bigint', fine_grid_version: 'integer', deadline_at: TS,
    station_key: 'text', village_center_id: 'bigint', mediator_name: 'text', dispatched_at: TS,
    escalated_at: TS, escalation_department: 'text', escalation_reason: 'text',
    mediation_mode: 'text', outcome: 'text', outcome_note: 'text', resolved_at: TS, feedback_note: 'text', fed_back_at: TS,
    satisfaction: 'smallint', timely: 'boolean', evaluation_note: 'text', evaluated_at: TS,
    verified_at: TS, verification_note: 'text', rectification_plan: 'text', rectification_note: 'text', rectified_at: TS,
    closed_at: TS, version: 'integer', updated_at: TS,
  },
  inputs: { lon: 'float8', lat: 'float8' },
  computed: { geom: POINT },
}

/** `case_parties`. */
export const PARTY_ROWS: JsonInsertSpec = {
  table: 'case_parties',
  columns: { case_id: 'bigint', seq: 'smallint', name: 'text', role: 'text', phone: 'text', home_village_id: 'bigint' },
}

/** `case_events` (ledger entries of cases and leads). */
export const EVENT_ROWS: JsonInsertSpec = {
  table: 'case_events',
  columns: {
    case_id: 'bigint', lead_id: 'bigint', at: TS, user_id: 'bigint', username: 'text', role: 'text', action: 'text',
    status_from: 'text', status_to: 'text', version: 'integer', changes: 'jsonb', reason: 'text',
  },
}

/** `leads` (with their own ids; the point from lon/lat when present). */
export const LEAD_ROWS: JsonInsertSpec = {
  table: 'leads',
  ownIds: true,
  columns: {
    id: 'bigint', status: 'text', department: 'text', category: 'text', description: 'text',
    village_id: 'bigint', base_grid_id: 'bigint', fine_grid_id: 'bigint', received_at: TS, received_by: 'bigint',
    verified_at: TS, verification_note: 'text', dismissed_reason: 'text', closed_at: TS, version: 'integer', updated_at: TS,
    town_id: 'bigint',
  },
  inputs: { lon: 'float8', lat: 'float8' },
  computed: { geom: `CASE WHEN r.lon IS NULL THEN NULL ELSE ${POINT} END` },
}

/** `key_persons` (with their own ids; the household point from lon/lat). */
export const KEY_PERSON_ROWS: JsonInsertSpec = {
  table: 'key_persons',
  ownIds: true,
  columns: {
    id: 'bigint', name: 'text', gender: 'text', birth_year: 'smallint', id_number: 'text', phone: 'text', address: 'text',
    village_id: 'bigint', village_version: 'integer', base_grid_id: 'bigint', base_grid_version: 'integer',
    fine_grid_id: 'bigint', fine_grid_version: 'integer', category: 'text', colour: 'text', status: 'text',
    released_at: TS, responsible_user_id: 'bigint', responsible_staff_id: 'bigint', note: 'text', version: 'integer',
    created_at: TS, created_by: 'bigint', updated_at: TS, updated_by: 'bigint',
  },
  inputs: { lon: 'float8', lat: 'float8' },
  computed: { household_geom: POINT },
}

/** `key_person_visits`. */
export const VISIT_ROWS: JsonInsertSpec = {
  table: 'key_person_visits',
  ownIds: true,
  columns: {
    id: 'bigint', person_id: 'bigint', visitor_user_id: 'bigint', visited_at: TS, kind: 'text', note: 'text',
    colour: 'text', next_due: TS, created_at: TS,
  },
}

/** `audit_log`. */
export const AUDIT_ROWS: JsonInsertSpec = {
  table: 'audit_log',
  columns: {
    at: TS, user_id: 'bigint', username: 'text', role: 'text', action: 'text', subject_kind: 'text',
    subject_ids: 'bigint[]', fields: 'text[]', reason: 'text', request_ip: 'text', detail: 'jsonb',
  },
}
