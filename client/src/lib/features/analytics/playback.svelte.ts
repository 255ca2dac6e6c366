import type { WindowQuery } from './api';
import { DAY_MS, townshipDay, townshipMidnight, townshipMonthStart } from '../../ui/time';

/** Length of one playback frame. */
export type PlaybackStep = 'day' | 'week' | 'month';

/** Most frames one period may have (a year of days, with room). */
export const MAX_FRAMES = 400;

/** Pause between two frames while playing, after the frame has loaded. */
export const FRAME_PAUSE_MS = 1200;

/** The start of the frame after the one starting at `start` (months: the 1st of the next calendar month). */
function nextStart(start: Date, step: PlaybackStep): Date {
  if (step === 'day') return new Date(start.getTime() + DAY_MS);
  if (step === 'week') return new Date(start.getTime() + 7 * DAY_MS);
  return townshipMonthStart(start, 1);
}

/**
 * The frames `[from, to)` covering the CST days `firstDay`..`lastDay`
 * (inclusive) in steps of a day, a week or a calendar month (the first
 * month frame runs to the end of its month); the last frame is cut at the
 * end of `lastDay`. At most {@link MAX_FRAMES}.
 */
export function playbackFrames(firstDay: string, lastDay: string, step: PlaybackStep): WindowQuery[] {
  const start = townshipMidnight(firstDay);
  const end = new Date(townshipMidnight(lastDay).getTime() + DAY_MS);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end <= start) return [];
  const frames: WindowQuery[] = [];
  for (let from = start; from < end && frames.length < MAX_FRAMES; from = nextStart(from, step)) {
    const to = nextStart(from, step);
    frames.push({ from: from.toISOString(), to: (to < end ? to : end).toISOString() });
  }
  return frames;
}

/** A frame as `YYYY-MM-DD – YYYY-MM-DD` (CST, both days inclusive), or one day. */
export function frameLabel(frame: WindowQuery): string {
  const first = townshipDay(new Date(frame.from));
  const last = townshipDay(new Date(new Date(frame.to).getTime() - 1));
  return first === last ? first : `${first} – ${last}`;
}

/**
 * Time playback of the risk map's layers (heatmap, bins, clusters, risk
 * colours): a period cut into day, week or month frames, the current frame,
 * and play / pause. While it is on, the risk map queries the current frame's
 * window instead of its period. Playing renders a frame, waits until it has
 * loaded, pauses, then moves on, so that requests never overlap.
 */
export class Playback {
  /** Whether the layers follow the playback frame instead of the period. */
  enabled = $state(false);
  /** Frame length. */
  step = $state<PlaybackStep>('week');
  /** First day of the period (`YYYY-MM-DD`, CST, inclusive). */
  firstDay = $state(townshipDay(new Date(Date.now() - 90 * DAY_MS)));
  /** Last day of the period (`YYYY-MM-DD`, CST, inclusive). */
  lastDay = $state(townshipDay(new Date()));
  /** Index of the current frame. */
  index = $state(0);
  /** Whether it is playing. */
  playing = $state(false);
  /** Whether the current frame is loading. */
  busy = $state(false);

  #timer: ReturnType<typeof setTimeout> | null = null;
  #run = 0;

  /** The frames of the period. */
  get frames(): WindowQuery[] {
    return playbackFrames(this.firstDay, this.lastDay, this.step);
  }

  /** The current frame's window while playback is on, else null. */
  get frame(): WindowQuery | null {
    if (!this.enabled) return null;
    const frames = this.frames;
    return frames[Math.min(this.index, frames.length - 1)] ?? null;
  }

  /** The current frame's date range, or an empty string. */
  get label(): string {
    const frame = this.frame;
    return frame ? frameLabel(frame) : '';
  }

  /** Goes to frame `index` (clamped) and renders it. */
  async seek(index: number, render: () => Promise<void>): Promise<void> {
    const last = Math.max(0, this.frames.length - 1);
    this.index = Math.max(0, Math.min(last, index));
    await this.#render(render);
  }

  /** Plays from the current frame (from the start when at the end) until the last frame or a pause. */
  play(render: () => Promise<void>): void {
    if (this.playing) return;
    if (this.index >= this.frames.length - 1) this.index = 0;
    this.playing = true;
    const run = ++this.#run;
    const tick = async () => {
      await this.#render(render);
      if (!this.playing || run !== this.#run) return;
      if (this.index >= this.frames.length - 1) {
        this.playing = false;
        return;
      }
      this.#timer = setTimeout(() => {
        if (!this.playing || run !== this.#run) return;
        this.index += 1;
        void tick();
      }, FRAME_PAUSE_MS);
    };
    void tick();
  }

  /** Stops playing (the current frame stays). */
  pause(): void {
    this.playing = false;
    this.#run++;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** Switches playback on (at the first frame) or off. */
  setEnabled(on: boolean): void {
    this.pause();
    this.enabled = on;
    this.index = 0;
  }

  async #render(render: () => Promise<void>): Promise<void> {
    this.busy = true;
    try {
      await render();
    } finally {
      this.busy = false;
    }
  }
}

/** The time playback of the signed-in screen. */
export const playback = new Playback();
