import type { Selectable } from 'kysely'
import type { Db } from '../../core/db/database.ts'
import type { AnalyticsSettingsTable } from '../../core/db/tables/analytics.ts'
import type { RiskSettings } from './risk/formula.ts'

type SettingsRow = Selectable<AnalyticsSettingsTable>

function toRiskSettings(row: SettingsRow): RiskSettings {
  return {
    hazardWeights: { low: row.hazard_low, medium: row.hazard_medium, high: row.hazard_high, critical: row.hazard_critical },
    disputeWeights: { general: row.dispute_general, complex: row.dispute_complex, major: row.dispute_major },
    halfLifeDays: row.half_life_days,
    keyPersonWeights: { red: row.key_person_red, orange: row.key_person_orange, yellow: row.key_person_yellow, green: row.key_person_green },
    overduePenalty: row.overdue_penalty,
    thresholds: { yellow: row.yellow_from, orange: row.orange_from, red: row.red_from },
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  }
}

/** The risk-score settings (the single `analytics_settings` row). */
export async function findRiskSettings(db: Db): Promise<RiskSettings> {
  return toRiskSettings(await db.selectFrom('analytics_settings').selectAll().executeTakeFirstOrThrow())
}

/** Replaces the risk-score settings; returns them as stored. */
export async function updateRiskSettings(
  db: Db,
  settings: Omit<RiskSettings, 'updatedAt' | 'updatedBy'>,
  userId: number,
): Promise<RiskSettings> {
  const row = await db
    .updateTable('analytics_settings')
    .set({
      hazard_low: settings.hazardWeights.low,
      hazard_medium: settings.hazardWeights.medium,
      hazard_high: settings.hazardWeights.high,
      hazard_critical: settings.hazardWeights.critical,
      dispute_general: settings.disputeWeights.general,
      dispute_complex: settings.disputeWeights.complex,
      dispute_major: settings.disputeWeights.major,
      half_life_days: settings.halfLifeDays,
      key_person_red: settings.keyPersonWeights.red,
      key_person_orange: settings.keyPersonWeights.orange,
      key_person_yellow: settings.keyPersonWeights.yellow,
      key_person_green: settings.keyPersonWeights.green,
      overdue_penalty: settings.overduePenalty,
      yellow_from: settings.thresholds.yellow,
      orange_from: settings.thresholds.orange,
      red_from: settings.thresholds.red,
      updated_at: new Date(),
      updated_by: userId,
    })
    .where('id', '=', true)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toRiskSettings(row)
}
