import type { Feature, LineString, MultiPolygon, Polygon } from 'geojson';
import { ApiError } from '../../api/client';
import type { AreaFeature, AreaLevel } from '../../api/types';
import { LAYER_OF_LEVEL } from '../../map/area-collections';
import { boundariesApi } from './api';
import type { AreaEdit, BoundaryImpact, BoundaryProblem, StaleBody } from './types';
import type { DraftArea, LngLat, Ring } from './topology/geometry-types';
import { insertSharedVertices } from './topology/insert-shared-vertices';
import { moveSharedVertex } from './topology/move-shared-vertex';
import { removeSharedVertex } from './topology/remove-shared-vertex';
import type { RingChange } from './topology/ring-change';
import { roundCoords } from './topology/round-coords';
import { snapTargets } from './topology/snap-targets';
import type { SnapTargets } from './topology/snap-position';
import { touchingAreas } from './topology/touching-areas';
import { i18n } from '../../i18n/i18n.svelte';
import { mapView } from '../../map/view.svelte';

/** The editor's tools: move/add/delete vertices, split, merge, retire into a neighbour, create. */
export type EditorTool = 'vertex' | 'split' | 'merge' | 'retire' | 'create';

/** The levels the editor changes. */
export type EditLevel = Exclude<AreaLevel, 'town'>;

/** The editable levels, coarse to fine. */
export const EDIT_LEVELS: readonly EditLevel[] = ['village', 'base_grid', 'fine_grid'];

/** The level whose area contains a new area of `level` (`null` for villages: the town is not editable). */
export const PARENT_LEVEL: Record<EditLevel, EditLevel | null> = { village: null, base_grid: 'village', fine_grid: 'base_grid' };

/** The outcome of the last check (validation + impact), for the map and the panel. */
export interface CheckOutcome {
  problems: BoundaryProblem[];
  warnings: BoundaryProblem[];
  impact: BoundaryImpact | null;
}

function toDraft(feature: AreaFeature): DraftArea {
  const coords = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  return { id: feature.id, coords: roundCoords(coords) };
}

function editableFeatures(): AreaFeature[] {
  return EDIT_LEVELS.flatMap((level) => mapView.collections[LAYER_OF_LEVEL[level]]?.features ?? []);
}

function multi(area: DraftArea): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: area.coords };
}

/**
 * The boundary editor (边界编辑): the area being edited (`mapView.selectedId`),
 * its working geometry and its neighbours' (shared vertices move together),
 * the tool in use, the line or polygon drawn, the check outcome (problems,
 * warnings, impact) and the save.
 */
export class BoundaryEditor {
  /** The level being edited; clicks pick areas of this level. */
  level = $state<EditLevel>('fine_grid');
  /** The tool in use. */
  tool = $state<EditorTool>('vertex');
  /** Working geometries: the edited area and every area touching it (any editable level). */
  drafts = $state.raw<DraftArea[]>([]);
  /** Ids whose geometry the edits changed (what a save sends). */
  touched = $state.raw<number[]>([]);
  /** Bumped when the drafts change from outside the drawing tool (reset, undo, load). */
  revision = $state(0);
  /** The split line drawn. */
  line = $state.raw<LineString | null>(null);
  /** The new grid drawn (create tool). */
  polygon = $state.raw<Polygon | null>(null);
  /** The neighbour chosen for merge or retire. */
  partnerId = $state<number | null>(null);
  /** Name of a created grid. */
  newName = $state('');
  /** Why (required to save). */
  reason = $state('');
  /** The last check, for the current drafts; `null` when not checked since the last edit. */
  outcome = $state.raw<CheckOutcome | null>(null);
  /** A request is under way. */
  busy = $state(false);
  /** The last failure, in the interface language. */
  error = $state<string | null>(null);
  /** After a 412: the area as it is now on the server. */
  stale = $state.raw<Feature<Polygon | MultiPolygon> | null>(null);
  /** The last successful save, for the panel. */
  savedMessage = $state<string | null>(null);

  #versions = new Map<number, number>();
  #targetId = $state<number | null>(null);

  /** The id of the area being edited, if it is of the chosen level. */
  get targetId(): number | null {
    return this.#targetId;
  }

  /** The edited area's working geometry. */
  get target(): DraftArea | null {
    return this.drafts.find((area) => area.id === this.#targetId) ?? null;
  }

  /** Whether there are edits not saved. */
  get dirty(): boolean {
    return this.touched.length > 0 || this.line !== null || this.polygon !== null || this.partnerId !== null;
  }

  /** Whether the current draft can be sent for a check. */
  get ready(): boolean {
    if (this.#targetId === null) return false;
    if (this.tool === 'vertex') return this.touched.length > 0;
    if (this.tool === 'split') return this.line !== null;
    if (this.tool === 'create') return this.polygon !== null && this.newName.trim() !== '';
    return this.partnerId !== null;
  }

  /** Whether a save may be sent: checked, no problems, a reason. */
  get canSave(): boolean {
    return this.ready && !this.busy && this.outcome !== null && this.outcome.problems.length === 0 && this.reason.trim() !== '';
  }

  /** The level clicks pick for the current tool: the parent level when creating. */
  get pickLevel(): EditLevel {
    return this.tool === 'create' ? (PARENT_LEVEL[this.level] ?? this.level) : this.level;
  }

  /** Starts editing `id` (or stops with `null`): loads it and its neighbours into the drafts. */
  begin(id: number | null): void {
    this.#clearDraft();
    this.#targetId = id;
    const feature = mapView.feature(id);
    if (id === null || !feature) {
      this.drafts = [];
      this.revision++;
      return;
    }
    const target = toDraft(feature);
    const others = editableFeatures().filter((candidate) => candidate.id !== id).map(toDraft);
    const neighbours = touchingAreas(target, others);
    const prepared = insertSharedVertices([target, ...neighbours]).areas;
    this.#versions = new Map(editableFeatures().map((candidate) => [candidate.id, candidate.properties.version]));
    this.drafts = prepared;
    this.revision++;
  }

  /** Switches the tool, dropping a drawing not saved. */
  setTool(tool: EditorTool): void {
    if (tool === this.tool) return;
    this.tool = tool;
    this.begin(tool === 'create' ? null : this.#targetId);
    if (tool === 'create') mapView.select(null);
  }

  /** Switches the level, dropping the selection and edits. */
  setLevel(level: EditLevel): void {
    this.level = level;
    mapView.select(null);
    this.begin(null);
  }

  /** Applies one edit made on `partIndex` of the edited area; shared vertices follow in the neighbours. */
  applyRingChange(partIndex: number, change: RingChange, ring: Ring): void {
    const target = this.target;
    if (!target || change.kind === 'none') return;
    let areas = this.drafts;
    let changed: number[] = [];
    if (change.kind === 'move') {
      ({ areas, changedIds: changed } = moveSharedVertex(areas, change.from, change.to));
      const absorbed = insertSharedVertices(areas);
      areas = absorbed.areas;
      changed = [...changed, ...absorbed.changedIds.filter((id) => id !== target.id)];
    } else if (change.kind === 'delete') {
      ({ areas, changedIds: changed } = removeSharedVertex(areas, change.at));
    } else {
      areas = areas.map((area) => (area.id === target.id ? { id: area.id, coords: area.coords.map((polygon, i) => (i === partIndex ? [ring, ...polygon.slice(1)] : polygon)) } : area));
      changed = [target.id];
      if (change.kind === 'insert') {
        const absorbed = insertSharedVertices(areas);
        areas = absorbed.areas;
        changed = [...changed, ...absorbed.changedIds];
      }
    }
    this.drafts = areas;
    this.touched = [...new Set([...this.touched, ...changed])];
    this.#edited();
  }

  /** What the dragged vertex may snap to: the neighbours' vertices and edges, without `dragged` itself. */
  snapTargetsFor(dragged: LngLat | null): SnapTargets {
    return snapTargets(
      this.drafts.filter((area) => area.id !== this.#targetId),
      dragged,
    );
  }

  /** Records the split line drawn. */
  setLine(line: LineString | null): void {
    this.line = line;
    this.#edited();
  }

  /** Records the new grid drawn. */
  setPolygon(polygon: Polygon | null): void {
    this.polygon = polygon;
    this.#edited();
  }

  /** Chooses the neighbour to merge with or retire into (`null` clears). */
  setPartner(id: number | null): void {
    this.partnerId = id === this.#targetId ? null : id;
    this.#edited();
  }

  /** Drops every unsaved edit of the current area. */
  discard(): void {
    this.begin(this.#targetId);
  }

  /** Validates and previews the impact of the current draft. */
  async check(): Promise<void> {
    if (!this.ready || this.busy) return;
    await this.#run(async () => {
      const id = this.#targetId!;
      if (this.tool === 'vertex') {
        const areas = this.#edits();
        const validation = await boundariesApi.validate({ areas });
        const impact = validation.valid ? await boundariesApi.impact({ edit: { areas } }) : null;
        this.outcome = { problems: validation.problems, warnings: validation.warnings, impact };
      } else if (this.tool === 'split') {
        const impact = await boundariesApi.impact({ split: { areaId: id, line: this.line! } });
        this.outcome = { problems: impact.problems, warnings: impact.warnings, impact };
      } else if (this.tool === 'create') {
        const validation = await boundariesApi.validate({ create: { parentId: id, geometry: this.polygon! } });
        this.outcome = { problems: validation.problems, warnings: validation.warnings, impact: null };
      } else {
        const impact = await boundariesApi.impact({ merge: { areaIds: [id, this.partnerId!] } });
        this.outcome = { problems: impact.problems, warnings: impact.warnings, impact };
      }
    });
  }

  /** Saves the checked draft (batch, single PATCH with If-Match, split, merge, retire or create), then reloads the areas. */
  async save(): Promise<void> {
    if (!this.canSave) return;
    const reason = this.reason.trim();
    const id = this.#targetId!;
    const ok = await this.#run(async () => {
      if (this.tool === 'vertex') {
        const areas = this.#edits();
        if (areas.length === 1) {
          const level = mapView.feature(id)?.properties.level ?? this.level;
          await boundariesApi.saveOne(LAYER_OF_LEVEL[level], id, areas[0].ifMatch!, areas[0].geometry!, reason);
        } else {
          await boundariesApi.batch(areas, reason);
        }
        this.savedMessage = i18n.t('editor.saved', { count: areas.length });
      } else if (this.tool === 'split') {
        const result = await boundariesApi.split(id, this.line!, this.#version(id), reason);
        this.savedMessage = i18n.t('editor.savedSplit', { count: result.areas.filter((area) => area.action === 'create').length });
      } else if (this.tool === 'merge') {
        await boundariesApi.merge([id, this.partnerId!], [this.#version(id), this.#version(this.partnerId!)], reason);
        this.savedMessage = i18n.t('editor.savedMerge');
      } else if (this.tool === 'retire') {
        await boundariesApi.retire(id, this.partnerId!, [this.#version(id), this.#version(this.partnerId!)], reason);
        this.savedMessage = i18n.t('editor.savedRetire');
      } else {
        await boundariesApi.create(id, this.polygon!, this.newName.trim(), reason);
        this.savedMessage = i18n.t('editor.savedCreate');
      }
    });
    if (!ok) return;
    const keep = this.tool === 'vertex' ? id : null;
    const selectedWhenSaved = mapView.selectedId;
    await mapView.loadAreas();
    this.reason = '';
    this.newName = '';
    // The user may have deselected or picked another area while the areas reloaded: theirs wins.
    if (mapView.selectedId !== selectedWhenSaved) return;
    mapView.select(keep);
    this.begin(keep);
  }

  /** After a 412: reloads the areas and starts again from the current versions. */
  async reload(): Promise<void> {
    const id = this.#targetId;
    await mapView.loadAreas();
    this.stale = null;
    this.begin(mapView.feature(id) ? id : null);
  }

  /** Leaves the editor: drops everything. */
  reset(): void {
    this.begin(null);
    this.tool = 'vertex';
    this.savedMessage = null;
  }

  #version(id: number): number {
    return this.#versions.get(id) ?? 1;
  }

  #edits(): AreaEdit[] {
    return this.drafts
      .filter((area) => this.touched.includes(area.id))
      .map((area) => ({ areaId: area.id, ifMatch: this.#version(area.id), geometry: multi(area) }));
  }

  #edited(): void {
    this.outcome = null;
    this.error = null;
    this.savedMessage = null;
  }

  #clearDraft(): void {
    this.touched = [];
    this.line = null;
    this.polygon = null;
    this.partnerId = null;
    this.outcome = null;
    this.error = null;
    this.stale = null;
  }

  /** Runs a request, turning API errors into the panel's error, problems or stale state; true when it succeeded. */
  async #run(task: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await task();
      return true;
    } catch (cause) {
      if (!(cause instanceof ApiError)) {
        this.error = cause instanceof Error ? cause.message : String(cause);
        return false;
      }
      this.error = cause.message;
      const body = cause.body as StaleBody & { problems?: BoundaryProblem[]; warnings?: BoundaryProblem[] };
      if (cause.status === 412) {
        this.stale = body.current ?? null;
        this.outcome = null;
      }
      if (Array.isArray(body.problems) && body.problems.length > 0) {
        this.outcome = { problems: body.problems, warnings: body.warnings ?? [], impact: null };
        this.error = null;
      }
      return false;
    } finally {
      this.busy = false;
    }
  }
}

/** The application's single boundary editor. */
export const boundaryEditor = new BoundaryEditor();
