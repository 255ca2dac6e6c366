import { mapView } from './view.svelte';
import { panel } from './panel.svelte';
import { TOWNSHIP_OFFSET, townshipDay } from '../ui/time';

/**
 * Time travel on the map: the township's areas as they were on a past day.
 * A day is shown as it stood at its end (23:59:59.999 China time), so edits
 * made that day are included; the area layers reload through
 * `mapView.setDatetime` with that instant as the OGC `datetime`. The map's
 * `datetime` is the single source of truth: leaving the map screen (which
 * resets it) also comes back to today.
 */
export class TimeTravel {
  /** The township's today (YYYY-MM-DD), the latest day that can be picked. */
  get today(): string {
    return townshipDay();
  }

  /** The day shown (YYYY-MM-DD), or `null` for the current boundaries. */
  get date(): string | null {
    return mapView.datetime?.slice(0, 10) ?? null;
  }

  /** Whether the map shows a past day rather than today. */
  get active(): boolean {
    return this.date !== null;
  }

  /**
   * Shows the areas of `date` (YYYY-MM-DD on the township's clock). Today, a
   * future day or an empty value come back to the current boundaries. The
   * selection is dropped: its details panel describes the current version.
   */
  async show(date: string): Promise<void> {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date >= this.today) return this.backToToday();
    if (date === this.date) return;
    this.#clearSelection();
    await mapView.setDatetime(`${date}T23:59:59.999${TOWNSHIP_OFFSET}`);
  }

  /** Back to the current boundaries. */
  async backToToday(): Promise<void> {
    if (!this.active) return;
    this.#clearSelection();
    await mapView.setDatetime(null);
  }

  #clearSelection(): void {
    mapView.select(null);
    panel.close('area');
  }
}

/** The application's single time-travel state. */
export const timeTravel = new TimeTravel();
