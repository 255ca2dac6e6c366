import type { CaseKind } from '../../../../server/features/cases/cases.schemas.ts';

/**
 * What the right-hand panel shows — at most one thing at a time: an area's
 * details, a case, a key person, the dispatch queue, the lead list, the
 * registration form at a picked point, a risk score's explanation, or the
 * cases of one hex bin.
 */
export type RightPanel =
  | { type: 'area'; id: number }
  | { type: 'case'; kind: CaseKind; id: number }
  | { type: 'person'; id: number }
  | { type: 'queue' }
  | { type: 'leads' }
  | { type: 'register'; point: [number, number] }
  | { type: 'risk-explain'; areaId: number }
  | { type: 'bin'; cell: string; count: number }
  | null;

/** The kinds of panel. */
export type PanelType = NonNullable<RightPanel>['type'];

/** The open panel of one type, e.g. `PanelOf<'case'>` is `{ type: 'case'; kind; id }`. */
export type PanelOf<T extends PanelType> = Extract<NonNullable<RightPanel>, { type: T }>;

/**
 * The one right-hand panel of the signed-in screen. Map and list clicks
 * `open` a panel (which replaces whatever was open); a panel's close button
 * calls `close`. The screen renders `current` — nothing else decides which
 * panel is shown, so two panels can never be open at once.
 */
export class PanelState {
  /** The open panel, or `null`. */
  current = $state.raw<RightPanel>(null);

  /** Opens `panel`, replacing the open one. */
  open(panel: NonNullable<RightPanel>): void {
    this.current = panel;
  }

  /** Closes the panel; with `type`, only if a panel of that type is open (so a late close cannot shut a newer panel). */
  close(type?: PanelType): void {
    if (type !== undefined && this.current?.type !== type) return;
    this.current = null;
  }

  /** The open panel if it is of `type`, else `null`. */
  of<T extends PanelType>(type: T): PanelOf<T> | null {
    return this.current?.type === type ? (this.current as PanelOf<T>) : null;
  }
}

/** The application's single right-hand panel. */
export const panel = new PanelState();
