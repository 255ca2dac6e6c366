import { casesApi } from './api';
import type { VillageDirectory, VillageGroup } from './types';
import { i18n } from '../../i18n/i18n.svelte';

/**
 * The directory of divisions, loaded once when a dispute is registered: a
 * party may live in a village of a neighbouring town, which the map (the
 * caller's own town) does not hold. Names and codes only.
 */
class VillageDirectoryState {
  /** The directory, or null until loaded (or when it could not be). */
  directory = $state<VillageDirectory | null>(null);
  #loading: Promise<void> | null = null;

  /** Loads the directory once; a failure leaves the picker with the own town's villages. */
  load(): Promise<void> {
    this.#loading ??= casesApi
      .villageDirectory()
      .then((directory) => {
        this.directory = directory;
      })
      .catch(() => {
        this.#loading = null;
      });
    return this.#loading;
  }

  /** The caller's town name in the UI language, or null (a county user, or not loaded). */
  get ownTownName(): string | null {
    const own = this.directory?.towns.find((town) => town.id === this.directory?.ownTownId);
    return own ? nameOf(own) : null;
  }

  /** The other towns of the county with their villages, by code (none for a county user: the map holds every town). */
  get otherTowns(): VillageGroup[] {
    const directory = this.directory;
    if (!directory || directory.ownTownId === null) return [];
    return directory.towns
      .filter((town) => town.id !== directory.ownTownId && town.villages.length > 0)
      .map((town) => ({ townId: town.id, townName: nameOf(town), villages: town.villages.map((village) => ({ id: village.id, name: nameOf(village) })) }));
  }
}

function nameOf(area: { name: string; nameEn: string | null }): string {
  return i18n.lang === 'en' && area.nameEn ? area.nameEn : area.name;
}

/** The shared directory of divisions. */
export const villageDirectory = new VillageDirectoryState();
