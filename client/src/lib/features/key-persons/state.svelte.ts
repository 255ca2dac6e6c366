import { ApiError } from '../../api/client';
import { i18n } from '../../i18n/i18n.svelte';
import { COLOURS, type Colour, type HeatCollection, type KeyPerson, type KeyPersonFeature, type PersonCategory, type PersonSummary, type RevealField, type Visit, type VisitKind } from '../cases/types';
import { keyPersonsApi } from './api';

/** Filters of the key-person layer. */
export interface PersonFilter {
  visible: boolean;
  /** Colours shown. */
  colours: Colour[];
  /** Category shown, or empty for all. */
  category: string;
}

/**
 * The key-person layer (重点人员): household points for users who see
 * identities, counts per grid for the others, the summary per colour, the
 * categories and the layer's filters.
 */
export class KeyPersonLayer {
  /** Layer filters. */
  filter = $state<PersonFilter>({ visible: true, colours: [...COLOURS], category: '' });
  /** Household points (users with `seeIdentities`), `null` otherwise or until loaded. */
  points = $state.raw<{ type: 'FeatureCollection'; features: KeyPersonFeature[] } | null>(null);
  /** Grid counts (users without `seeIdentities`), `null` otherwise or until loaded. */
  heat = $state.raw<HeatCollection | null>(null);
  /** Key persons per colour. */
  summary = $state.raw<PersonSummary | null>(null);
  /** Key-person categories. */
  categories = $state.raw<PersonCategory[]>([]);
  /** Whether the signed-in user sees (masked) identities; the others see counts per grid only. Set by {@link start}. */
  identities = $state(false);

  /** Starts for a signed-in user (`identities`: the `seeIdentities` capability) and loads. */
  start(identities: boolean): void {
    this.identities = identities;
    void this.load();
  }

  /** Forgets the data (on leaving the map screen). */
  stop(): void {
    this.identities = false;
    this.points = null;
    this.heat = null;
  }

  /** Loads the summary, categories and either household points or grid counts. */
  async load(): Promise<void> {
    const jobs: Promise<unknown>[] = [
      keyPersonsApi.personSummary().then((summary) => (this.summary = summary)),
      keyPersonsApi.personCategories().then((categories) => (this.categories = categories)),
    ];
    if (this.identities) jobs.push(keyPersonsApi.persons().then((points) => (this.points = points)));
    else jobs.push(keyPersonsApi.heat().then((heat) => (this.heat = heat)));
    await Promise.allSettled(jobs);
  }

  /** Shown key persons: points passing the colour and category filters (identities), or `null` before loading or without identities. */
  get shownCount(): number | null {
    if (!this.identities || !this.points) return null;
    const { colours, category } = this.filter;
    return this.points.features.filter((feature) => colours.includes(feature.properties.colour) && (!category || feature.properties.category === category)).length;
  }
}

/** The application's single key-person layer. */
export const keyPersons = new KeyPersonLayer();

/**
 * One key person's details for the person panel: the masked record, its
 * visits, the fields revealed so far, and a failure message. `load` fetches a
 * person (dropping the previous one); `reveal` and `recordVisit` update it.
 */
export class PersonDetails {
  /** The masked record; `null` while loading or after a failure. */
  person = $state<KeyPerson | null>(null);
  /** Visits, newest first. */
  visits = $state<Visit[]>([]);
  /** Why the person could not be loaded, or `null`. */
  failure = $state<string | null>(null);
  /** Unmasked values by field (`null`: empty on the server). */
  revealed = $state<Partial<Record<RevealField, string | null>>>({});

  #id: number | null = null;
  #controller: AbortController | null = null;

  /** Loads a person and their visits. */
  load(id: number): void {
    this.stop();
    const controller = new AbortController();
    this.#controller = controller;
    this.#id = id;
    this.person = null;
    this.failure = null;
    this.revealed = {};
    keyPersonsApi
      .person(id, controller.signal)
      .then((answer) => (this.person = answer))
      .catch((error: unknown) => {
        if (!controller.signal.aborted) this.failure = error instanceof ApiError ? error.message : i18n.t('error.network');
      });
    keyPersonsApi
      .visits(id, controller.signal)
      .then((answer) => (this.visits = answer))
      .catch(() => (this.visits = []));
  }

  /** Cancels pending loads. */
  stop(): void {
    this.#controller?.abort();
    this.#controller = null;
  }

  /** Reveals one masked field with a reason (audited); rejects with an `ApiError`. */
  async reveal(field: RevealField, reason: string): Promise<void> {
    if (this.#id === null) return;
    const answer = await keyPersonsApi.reveal(this.#id, [field], reason);
    this.revealed = { ...this.revealed, ...answer.fields };
  }

  /** Records a visit; rejects with an `ApiError`. */
  async recordVisit(kind: VisitKind, note: string): Promise<void> {
    if (this.#id === null) return;
    const answer = await keyPersonsApi.recordVisit(this.#id, kind, note);
    this.person = answer.person;
    this.visits = [answer.visit, ...this.visits];
  }
}
