import type { Layer } from '@deck.gl/core';
import { getContext, setContext } from 'svelte';

const KEY = Symbol('gridatlas.deck');

/** Text of a hover tooltip for a picked object, or null for none. */
export type DeckTooltip = (object: unknown) => string | null;

/** The deck.gl overlay shared with its layer components. */
export interface DeckOverlayContext {
  /** Puts (or replaces) the layer with `id`, with an optional tooltip; `null` removes it. */
  setLayer(id: string, layer: Layer | null, tooltip?: DeckTooltip): void;
}

/** Provides the overlay to child layer components (called by DeckOverlay). */
export function provideDeckOverlay(context: DeckOverlayContext): void {
  setContext(KEY, context);
}

/** The overlay of the enclosing DeckOverlay. */
export function useDeckOverlay(): DeckOverlayContext {
  const context = getContext<DeckOverlayContext | undefined>(KEY);
  if (!context) throw new Error('useDeckOverlay() must be called inside <DeckOverlay>');
  return context;
}
