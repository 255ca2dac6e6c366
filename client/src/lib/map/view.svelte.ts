import { api } from '../api/client';
import type { AreaCollection, AreaFeature, AreaLayerKey } from '../api/types';
import { normaliseLevel } from './area-collections';
import { featureBounds } from './geometry';
import { camera } from './camera';

/** Which basemap is drawn under the areas. */
export type BasemapChoice = 'offline' | 'osm' | 'tianditu';

/** The area layers, in hierarchy order. */
export const AREA_LAYERS: readonly AreaLayerKey[] = ['town', 'villages', 'base-grids', 'fine-grids'];

/**
 * Area layers fetched for the first map, which shows the whole town (zoom
 * ~11.5 on a laptop screen); the grids — 85% of the bytes, drawn from zoom 12
 * and 13.5 — are fetched once it has drawn (see `loadAreas`).
 */
const FIRST_LEVELS: readonly AreaLayerKey[] = ['town', 'villages'];
export const LATER_LEVELS: readonly AreaLayerKey[] = ['base-grids', 'fine-grids'];

/** Zoom from which each area layer is drawn. */
export const MIN_ZOOM: Record<AreaLayerKey, number> = {
  town: 0,
  villages: 0,
  'base-grids': 12,
  'fine-grids': 13.5,
};

const BASEMAP_KEY = 'gridatlas.basemap';
const TIANDITU_KEY = 'gridatlas.tiandituKey';

function readStorage(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function writeStorage(key: string, value: string): void {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Storage unavailable: the setting lasts for this page only.
  }
}

function emptyCollections(): Record<AreaLayerKey, AreaCollection | null> {
  return { town: null, villages: null, 'base-grids': null, 'fine-grids': null };
}

/** Makes ids numeric (feature-state needs them) and levels canonical. */
function normaliseCollection(collection: AreaCollection): AreaCollection {
  const features = (collection.features ?? []).map((feature) => ({
    ...feature,
    id: Number(feature.id),
    properties: { ...feature.properties, level: normaliseLevel(String(feature.properties.level)) },
  }));
  return { ...collection, features };
}

/**
 * What the map shows: loaded area collections, layer visibility, the selected
 * area, the basemap choice, and the camera facts the controls display.
 */
export class MapView {
  /** Area collections by layer; `null` until loaded. Not deeply reactive. */
  collections = $state.raw(emptyCollections());
  /** Whether each area layer is switched on. */
  visible = $state<Record<AreaLayerKey, boolean>>({
    town: true,
    villages: true,
    'base-grids': true,
    'fine-grids': true,
  });
  /** True while the collections are being fetched. */
  loading = $state(false);
  /** The selected area id, or `null`. */
  selectedId = $state<number | null>(null);
  /** Current zoom level. */
  zoom = $state(11);
  /** Chosen basemap; online ones are opt-in. */
  basemap = $state<BasemapChoice>('offline');
  /** Tianditu browser key, kept in localStorage. */
  tiandituKey = $state(readStorage(TIANDITU_KEY));
  /** The instant (RFC 3339) whose area versions are shown, or `null` for the current ones (see `time-travel.svelte.ts`). */
  datetime = $state<string | null>(null);

  #index = new Map<number, AreaFeature>();
  /** Counts loads, so that an answer overtaken by a later load (another date) is dropped. */
  #generation = 0;
  #loads = 0;

  constructor() {
    const stored = readStorage(BASEMAP_KEY);
    if (stored === 'osm' || (stored === 'tianditu' && this.tiandituKey)) this.basemap = stored;
  }

  /** Forgets the loaded areas and the selection (on leaving the map screen). */
  reset(): void {
    this.#index.clear();
    this.collections = emptyCollections();
    this.selectedId = null;
    this.datetime = null;
  }

  /**
   * Fetches the area collections in parallel. With `firstDraw` (the first
   * load, from the workspace), the grids (`LATER_LEVELS`) are fetched once it
   * has resolved, when the first map has drawn, so that they do not delay it.
   * `loading` stays true until all are in.
   */
  async loadAreas(firstDraw?: Promise<unknown>): Promise<void> {
    const load = ++this.#loads;
    this.loading = true;
    try {
      if (!firstDraw) {
        await this.#load(AREA_LAYERS, true);
        return;
      }
      await this.#load(FIRST_LEVELS, true);
      await firstDraw;
      await this.#load(LATER_LEVELS, false);
    } finally {
      // A later load (another date picked meanwhile) keeps `loading` until it is in.
      if (load === this.#loads) this.loading = false;
    }
  }

  /** Shows the area versions in force at `datetime` (`null`: the current ones) and reloads every level. */
  async setDatetime(datetime: string | null): Promise<void> {
    if (datetime === this.datetime) return;
    this.datetime = datetime;
    await this.loadAreas();
  }

  /** Fetches `levels` in parallel; `fresh` replaces every collection (a level that failed is left empty). */
  async #load(levels: readonly AreaLayerKey[], fresh: boolean): Promise<void> {
    const generation = ++this.#generation;
    const datetime = this.datetime;
    const results = await Promise.allSettled(levels.map((key) => api.collection(key, undefined, datetime)));
    if (generation !== this.#generation) return;
    const next = fresh ? emptyCollections() : { ...this.collections };
    if (fresh) this.#index.clear();
    results.forEach((result, i) => {
      if (result.status !== 'fulfilled') return;
      const collection = normaliseCollection(result.value);
      collection.features.forEach((feature) => this.#index.set(feature.id, feature));
      next[levels[i]] = collection;
    });
    this.collections = next;
  }

  /** The loaded feature of an area, if any. */
  feature(id: number | null): AreaFeature | null {
    return id === null ? null : (this.#index.get(id) ?? null);
  }

  /** The selected area's feature, if loaded. */
  get selectedFeature(): AreaFeature | null {
    return this.feature(this.selectedId);
  }

  /** Selects an area; with `focus`, the camera moves to show it whole. */
  select(id: number | null, focus = false): void {
    this.selectedId = id;
    const feature = this.feature(id);
    if (focus && feature) this.#fit(featureBounds(feature), 900);
  }

  /**
   * On phones the details open as a bottom sheet over the lower half of the map:
   * pan a tapped point that would end up under it into the upper part.
   */
  reveal(point: { x: number; y: number }): void {
    const container = camera.container;
    if (!container || window.innerWidth > 720) return;
    const height = container.clientHeight;
    if (point.y < height * 0.45) return;
    camera.panBy([0, point.y - height * 0.3], 400);
  }

  /** Shows the whole town (or all villages when the town is missing). */
  fitTown(duration = 700): void {
    const collection = this.collections.town ?? this.collections.villages;
    const first = collection?.features[0];
    if (!collection || !first) return;
    const bounds = collection.features.map(featureBounds).reduce((a, b) => [
      Math.min(a[0], b[0]),
      Math.min(a[1], b[1]),
      Math.max(a[2], b[2]),
      Math.max(a[3], b[3]),
    ]);
    this.#fit(bounds, duration);
  }

  /** Switches an area layer on or off. */
  setVisible(key: AreaLayerKey, on: boolean): void {
    this.visible[key] = on;
  }

  /** Chooses the basemap and remembers it. */
  setBasemap(choice: BasemapChoice): void {
    this.basemap = choice;
    writeStorage(BASEMAP_KEY, choice === 'offline' ? '' : choice);
  }

  /** Stores (or clears, with an empty string) the Tianditu key. */
  setTiandituKey(key: string): void {
    this.tiandituKey = key.trim();
    writeStorage(TIANDITU_KEY, this.tiandituKey);
    if (!this.tiandituKey && this.basemap === 'tianditu') this.setBasemap('offline');
  }

  #padding() {
    const wide = typeof window !== 'undefined' && window.innerWidth >= 900;
    const panelOpen = this.selectedId !== null;
    return wide
      ? { top: 48, bottom: 48, left: 300, right: panelOpen ? 420 : 64 }
      : { top: 64, bottom: panelOpen ? Math.round(window.innerHeight * 0.5) : 40, left: 16, right: 16 };
  }

  #fit(bounds: [number, number, number, number], duration: number): void {
    camera.fit(bounds, { padding: this.#padding(), duration, maxZoom: 17 });
  }
}

/** The application's single map view state. */
export const mapView = new MapView();
