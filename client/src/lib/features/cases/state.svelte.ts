import type { Map as MapLibreMap } from 'maplibre-gl';
import { casesApi, COLLECTION_OF } from './api';
import { NO_CAPABILITIES, type Capabilities } from '../account/capabilities';
import {
  DISPUTE_STATUSES,
  HAZARD_STATUSES,
  type CaseCounts,
  type CaseFeature,
  type CaseKind,
  type DisputeRegistration,
  type HazardRegistration,
  type LiveCaseEvent,
  type QueueItem,
  type RoutingRule,
} from './types';
import { ApiError } from '../../api/client';
import { casePhotosApi } from './photos-api';
import { kindLabel } from './labels';
import { i18n } from '../../i18n/i18n.svelte';
import { toasts } from '../../ui/toasts.svelte';
import { CLUSTER_MAX_ZOOM } from './layer';
import { LiveFeed } from '../live/state.svelte';
import { keyPersons } from '../key-persons/state.svelte';
import { TOWNSHIP_OFFSET } from '../../ui/time';
import { camera } from '../../map/camera';
import { panel } from '../../map/panel.svelte';

/** Statuses of each kind, in workflow order. */
export const STATUSES_OF: Record<CaseKind, readonly string[]> = { hazard: HAZARD_STATUSES, dispute: DISPUTE_STATUSES };

/** Filters of one case layer (all applied by the tile server, in the tile URL). */
export interface CaseFilter {
  /** Whether the layer is drawn. */
  visible: boolean;
  /** Statuses shown. */
  statuses: string[];
  /** Categories shown; all when empty. */
  categories: string[];
  /** Severities (hazards) or tiers (disputes) shown; all when empty. */
  grades: string[];
  /** Reported from (YYYY-MM-DD), or empty. */
  from: string;
  /** Reported until (YYYY-MM-DD), or empty. */
  to: string;
}

const LIVE_DEBOUNCE_MS = 250;

function nextDay(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function defaultFilter(kind: CaseKind): CaseFilter {
  return { visible: true, statuses: [...STATUSES_OF[kind]], categories: [], grades: [], from: '', to: '' };
}

/**
 * The case layers: their filters, legend counts, routing rules, the dispatch
 * queue and registration mode, kept current by the live feed (which also
 * reloads the key-person layer, see `key-persons/state.svelte.ts`). Which
 * case panel is open is the shared right-hand `panel`.
 */
export class CaseLayers {
  /** Filters per kind. */
  filters = $state<Record<CaseKind, CaseFilter>>({ hazard: defaultFilter('hazard'), dispute: defaultFilter('dispute') });
  /** Bumped per kind when its cases changed: part of the tile URL, so the map refetches its tiles. */
  revisions = $state<Record<CaseKind, number>>({ hazard: 0, dispute: 0 });
  /** Legend counts. */
  counts = $state.raw<CaseCounts | null>(null);
  /** Categories and their default stations. */
  rules = $state.raw<RoutingRule[]>([]);
  /** The dispatch queue, `null` until loaded. */
  queue = $state.raw<QueueItem[] | null>(null);
  /** True while the user is picking a point to register an event. */
  placing = $state(false);
  /** While a registration is sent: `saving`, then `uploading` its photos; `null` otherwise. */
  registering = $state<'saving' | 'uploading' | null>(null);
  /** Bumped when a lead changed on the server (the lead list reloads). */
  leadsRevision = $state(0);
  /** Bumped when the open case changed on the server (the panel reloads). */
  openCaseRevision = $state(0);
  /** The live feed. */
  readonly live = new LiveFeed();

  /** The signed-in user's capabilities (from the server), given to {@link start}. */
  #capabilities = $state.raw<Capabilities>(NO_CAPABILITIES);
  #map: MapLibreMap | null = null;
  #pending = new Set<CaseKind>();
  #debounce: ReturnType<typeof setTimeout> | null = null;

  /** Starts for a signed-in user with `capabilities`: loads everything and opens the live feed. */
  start(capabilities: Capabilities): void {
    this.#capabilities = capabilities;
    keyPersons.start(capabilities.seeIdentities);
    void this.loadRules();
    void this.reloadAll();
    this.live.start(
      (event) => this.#onLive(event),
      () => void this.reloadAll(),
      () => void keyPersons.load(),
    );
  }

  /** Stops the live feed and forgets the data (on leaving the map screen). */
  stop(): void {
    this.live.stop();
    if (this.#debounce) clearTimeout(this.#debounce);
    this.#map = null;
    this.#capabilities = NO_CAPABILITIES;
    keyPersons.stop();
    this.queue = null;
    panel.close();
    this.placing = false;
  }

  /** Lets the state move the camera. */
  attach(map: MapLibreMap | null): void {
    this.#map = map;
  }

  /** Refetches both case layers' tiles, the counts, the queue and the key persons. */
  async reloadAll(): Promise<void> {
    this.refresh('hazard');
    this.refresh('dispute');
    await Promise.allSettled([this.loadCounts(), this.loadQueue(), keyPersons.load()]);
  }

  /** Makes the map refetch a kind's tiles (its cases changed). */
  refresh(kind: CaseKind): void {
    this.revisions[kind]++;
  }

  /**
   * The tile URL template of a case layer: its filters (statuses unless all,
   * categories, grades, reported days as local whole days), server-side
   * clustering below {@link CLUSTER_MAX_ZOOM} and the revision (a new revision is a new URL, so
   * neither MapLibre nor the HTTP cache reuses the old tiles).
   */
  tileUrl(kind: CaseKind): string {
    const filter = this.filters[kind];
    const params = new URLSearchParams({ cluster: String(CLUSTER_MAX_ZOOM) });
    if (filter.statuses.length !== STATUSES_OF[kind].length) params.set('status', filter.statuses.join(','));
    if (filter.categories.length > 0) params.set('category', filter.categories.join(','));
    if (filter.grades.length > 0) params.set('grade', filter.grades.join(','));
    if (filter.from) params.set('from', `${filter.from}T00:00:00${TOWNSHIP_OFFSET}`);
    if (filter.to) params.set('to', `${nextDay(filter.to)}T00:00:00${TOWNSHIP_OFFSET}`);
    params.set('v', String(this.revisions[kind]));
    return `${window.location.origin}/api/tiles/${COLLECTION_OF[kind]}/{z}/{x}/{y}.mvt?${params.toString()}`;
  }

  /** Cases of a kind in the shown statuses, from the counts route (category, grade and date filters not applied), or `null` until loaded. */
  statusTotal(kind: CaseKind): number | null {
    const counts = this.counts?.[kind].byStatus;
    if (!counts) return null;
    return this.filters[kind].statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0);
  }

  /** Loads the legend counts. */
  async loadCounts(): Promise<void> {
    try {
      this.counts = await casesApi.counts();
    } catch {
      // Legend counts stay as they were.
    }
  }

  /** Loads the routing rules (categories). */
  async loadRules(): Promise<void> {
    try {
      this.rules = await casesApi.routingRules();
    } catch {
      this.rules = [];
    }
  }

  /** Loads the dispatch queue for the users who have one (`dispatchQueue`). */
  async loadQueue(): Promise<void> {
    if (!this.#capabilities.dispatchQueue) return;
    try {
      this.queue = await casesApi.queue();
    } catch {
      // Keep the last queue.
    }
  }

  /** Changes a case filter (the tile URL follows). */
  setFilter<K extends keyof CaseFilter>(kind: CaseKind, key: K, value: CaseFilter[K]): void {
    this.filters[kind][key] = value;
  }

  /** Restores a kind's default filters (visibility kept). */
  clearFilters(kind: CaseKind): void {
    const visible = this.filters[kind].visible;
    this.filters[kind] = { ...defaultFilter(kind), visible };
  }

  /** Opens a case's panel, optionally flying to it. */
  openCase(kind: CaseKind, id: number, at?: [number, number]): void {
    this.placing = false;
    panel.open({ type: 'case', kind, id });
    if (at) this.flyTo(at);
  }

  /** Opens a key person's panel. */
  openPerson(id: number): void {
    this.placing = false;
    panel.open({ type: 'person', id });
  }

  /** Opens the dispatch queue and refreshes it. */
  openQueue(): void {
    this.placing = false;
    panel.open({ type: 'queue' });
    void this.loadQueue();
  }

  /** Opens the lead list (线索清单). */
  openLeads(): void {
    this.placing = false;
    panel.open({ type: 'leads' });
  }

  /** Closes the open case-side panel (and leaves registration). */
  closePanel(): void {
    panel.close();
    this.placing = false;
  }

  /** Enters registration: the open panel closes and the next map click picks the point. */
  startRegistration(): void {
    panel.close();
    this.placing = true;
  }

  /** Sets the registration point and opens the form there. */
  placeDraft(point: [number, number]): void {
    this.placing = false;
    panel.open({ type: 'register', point });
  }

  /**
   * Registers a hazard or dispute at `point` and uploads its photos (a failed
   * upload is told but does not undo the registration), then opens the new
   * case and refreshes its layer, the counts and the queue. A 4xx answer is
   * shown in a toast and resolves `null` (the form stays).
   */
  async register(
    registration: { kind: 'hazard'; properties: HazardRegistration } | { kind: 'dispute'; properties: DisputeRegistration },
    point: [number, number],
    photos: File[],
  ): Promise<CaseFeature | null> {
    this.registering = 'saving';
    try {
      const feature = await casesApi.register(registration.kind, point, registration.properties);
      toasts.show(i18n.t('register.done', { kind: kindLabel(registration.kind), id: feature.id }), 'info');
      await this.#uploadPhotos(feature.id, photos);
      this.upsert(feature);
      this.openCase(feature.properties.kind, feature.id);
      void this.loadCounts();
      void this.loadQueue();
      return feature;
    } catch (error) {
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) toasts.show(error.message);
      return null;
    } finally {
      this.registering = null;
    }
  }

  async #uploadPhotos(caseId: number, photos: File[]): Promise<void> {
    if (photos.length === 0) return;
    this.registering = 'uploading';
    try {
      await casePhotosApi.upload(caseId, photos);
      toasts.show(i18n.t('photos.uploaded', { count: photos.length }), 'info');
    } catch (error) {
      toasts.show(i18n.t('photos.failed', { message: error instanceof Error ? error.message : '' }));
    }
  }

  /** The map centre `[lon, lat]`, or `null` without a map. */
  mapCenter(): [number, number] | null {
    const center = this.#map?.getCenter();
    return center ? [center.lng, center.lat] : null;
  }

  /** Moves the camera to a point, keeping it clear of the panels. */
  flyTo(point: [number, number]): void {
    const wide = window.innerWidth >= 900;
    const padding = wide ? { top: 40, bottom: 40, left: 300, right: 420 } : { top: 60, bottom: Math.round(window.innerHeight * 0.5), left: 20, right: 20 };
    camera.flyTo(point, 15, { padding, duration: 800 });
  }

  /** Shows a case the server just returned at once (before the live event): refetches its kind's tiles. */
  upsert(feature: CaseFeature): void {
    this.refresh(feature.properties.kind);
  }

  #onLive(event: LiveCaseEvent): void {
    if (event.kind === 'lead') {
      this.leadsRevision++;
      return;
    }
    this.#pending.add(event.kind);
    const open = panel.of('case');
    if (open && open.kind === event.kind && open.id === event.id) this.openCaseRevision++;
    if (this.#debounce) return;
    this.#debounce = setTimeout(() => {
      this.#debounce = null;
      const kinds = [...this.#pending];
      this.#pending.clear();
      for (const kind of kinds) this.refresh(kind);
      void this.loadCounts();
      if (kinds.includes('dispute')) void this.loadQueue();
    }, LIVE_DEBOUNCE_MS);
  }
}

/** The application's single case-layer state. */
export const cases = new CaseLayers();
