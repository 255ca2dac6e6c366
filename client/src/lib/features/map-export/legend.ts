import { labelOf } from '../cases/labels';
import { CHANGE_COLORS, RISK_COLORS, RISK_ORDER } from '../analytics/theme';
import { DISPUTE_STATUS_COLORS, HAZARD_STATUS_COLORS, PERSON_COLORS } from '../cases/theme';
import { COLORS } from '../../map/theme';
import type { DisputeStatus, HazardStatus } from '../cases/types';
import { cases } from '../cases/state.svelte';
import { keyPersons } from '../key-persons/state.svelte';
import { i18n } from '../../i18n/i18n.svelte';
import { mapView } from '../../map/view.svelte';
import { riskMap } from '../analytics/state.svelte';

/** How a legend entry's symbol is drawn. */
export type LegendShape = 'fill' | 'dot' | 'line' | 'dash' | 'ring';

/** One entry of the exported legend. */
export interface LegendEntry {
  shape: LegendShape;
  color: string;
  label: string;
}

/** A titled group of legend entries. */
export interface LegendGroup {
  title: string;
  entries: LegendEntry[];
}

/**
 * The legend of what the map shows now: the risk colours (or change colours)
 * when the risk map is on; otherwise the statuses of the visible case layers
 * and the key-person colours; then the area outlines and the selection.
 */
export function visibleLegend(): LegendGroup[] {
  const groups: LegendGroup[] = [];
  if (riskMap.active) {
    groups.push(
      riskMap.showChange
        ? {
            title: i18n.t('risk.changeLegend'),
            entries: [
              { shape: 'fill', color: CHANGE_COLORS.rise, label: i18n.t('risk.changeLegend.rise') },
              { shape: 'fill', color: CHANGE_COLORS.fall, label: i18n.t('risk.changeLegend.fall') },
            ],
          }
        : { title: i18n.t('risk.legend'), entries: RISK_ORDER.map((colour) => ({ shape: 'fill', color: RISK_COLORS[colour], label: i18n.t(`risk.colour.${colour}`) })) },
    );
  }
  const hazards = cases.filters.hazard;
  if (hazards.visible && hazards.statuses.length > 0) {
    groups.push({
      title: i18n.t('mapExport.legend.hazard'),
      entries: hazards.statuses.map((status) => ({ shape: 'dot', color: HAZARD_STATUS_COLORS[status as HazardStatus] ?? '#888', label: labelOf('status', status) })),
    });
  }
  const disputes = cases.filters.dispute;
  if (disputes.visible && disputes.statuses.length > 0) {
    groups.push({
      title: i18n.t('mapExport.legend.dispute'),
      entries: disputes.statuses.map((status) => ({ shape: 'dot', color: DISPUTE_STATUS_COLORS[status as DisputeStatus] ?? '#888', label: labelOf('status', status) })),
    });
  }
  if (keyPersons.filter.visible && keyPersons.filter.colours.length > 0) {
    groups.push({
      title: i18n.t('cases.persons'),
      entries: keyPersons.filter.colours.map((colour) => ({ shape: 'dot', color: PERSON_COLORS[colour], label: labelOf('explain.personColour', colour) })),
    });
  }
  const areas: LegendEntry[] = [];
  if (mapView.visible.town) areas.push({ shape: 'dash', color: COLORS.town, label: i18n.t('mapExport.legend.town') });
  if (mapView.visible.villages) areas.push({ shape: 'line', color: COLORS.village, label: i18n.t('mapExport.legend.village') });
  if (hazards.visible || disputes.visible) areas.push({ shape: 'ring', color: '#e03131', label: i18n.t('mapExport.legend.overdue') });
  if (mapView.selectedId !== null) areas.push({ shape: 'line', color: COLORS.selection, label: i18n.t('mapExport.legend.selected') });
  if (areas.length > 0) groups.push({ title: i18n.t('mapExport.legend'), entries: areas });
  return groups;
}
