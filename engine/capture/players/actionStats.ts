import { NextframeError } from '../../../worldmodel/index.ts';
import type { ActionSlot } from '../../../worldmodel/manifestSchema.ts';

/**
 * How an action stream behaves over time, in the quantised (bin) space speculation works in.
 * The numbers compare scripted players with recorded human play.
 */
export interface ActionStats {
  ticks: number;
  /** Share of ticks whose whole quantised action equals the previous tick's. */
  wholeRepeat: number;
  /** The same for the movement part alone (forward, strafe, jump, interact: the "keys"). */
  movementRepeat: number;
  /** Share of ticks moving (forward or strafe off the centre bin). */
  moving: number;
  /** Share of ticks turning (yaw or pitch off the centre bin). */
  turning: number;
  /** Share of ticks with jump / interact pressed. */
  jumping: number;
  interacting: number;
}

/** Bin rows → statistics. `slots` names the columns (the manifest's action layout). */
export function actionStats(rows: readonly ArrayLike<number>[], slots: readonly ActionSlot[]): ActionStats {
  const index = (name: string): number => {
    const i = slots.findIndex((s) => s.name === name);
    if (i < 0) throw new NextframeError('bad-input', `actionStats: the action layout has no "${name}" slot; found ${slots.map((s) => s.name).join(', ')}. Pass the manifest's action layout, which names forward, strafe, yaw, pitch, jump and interact.`);
    return i;
  };
  const f = index('forward');
  const s = index('strafe');
  const yaw = index('yaw');
  const pitch = index('pitch');
  const jump = index('jump');
  const interact = index('interact');
  const centre = (i: number): number => (slots[i]!.bins - 1) / 2;
  const movement = [f, s, jump, interact];
  let whole = 0;
  let moveSame = 0;
  let moving = 0;
  let turning = 0;
  let jumping = 0;
  let interacting = 0;
  rows.forEach((row, t) => {
    if (row[f] !== centre(f) || row[s] !== centre(s)) moving++;
    if (row[yaw] !== centre(yaw) || row[pitch] !== centre(pitch)) turning++;
    if (row[jump] === 1) jumping++;
    if (row[interact] === 1) interacting++;
    if (t === 0) return;
    const prev = rows[t - 1]!;
    let same = true;
    for (let i = 0; i < slots.length; i++) if (row[i] !== prev[i]) same = false;
    if (same) whole++;
    if (movement.every((i) => row[i] === prev[i])) moveSame++;
  });
  const n = rows.length;
  const pairs = Math.max(1, n - 1);
  return {
    ticks: n,
    wholeRepeat: whole / pairs,
    movementRepeat: moveSame / pairs,
    moving: moving / Math.max(1, n),
    turning: turning / Math.max(1, n),
    jumping: jumping / Math.max(1, n),
    interacting: interacting / Math.max(1, n),
  };
}

/** Merge several streams' statistics, weighted by their tick counts. */
export function mergeStats(all: readonly ActionStats[]): ActionStats {
  const total = all.reduce((n, s) => n + s.ticks, 0);
  const mean = (key: Exclude<keyof ActionStats, 'ticks'>): number => all.reduce((sum, s) => sum + s[key] * s.ticks, 0) / Math.max(1, total);
  return {
    ticks: total,
    wholeRepeat: mean('wholeRepeat'),
    movementRepeat: mean('movementRepeat'),
    moving: mean('moving'),
    turning: mean('turning'),
    jumping: mean('jumping'),
    interacting: mean('interacting'),
  };
}

/** One line per stream, for logs and reports. */
export function formatStats(label: string, s: ActionStats): string {
  const pct = (v: number): string => `${(100 * v).toFixed(1).padStart(5)}%`;
  return `${label.padEnd(26)} ticks ${String(s.ticks).padStart(6)}  whole-repeat ${pct(s.wholeRepeat)}  movement-repeat ${pct(s.movementRepeat)}  moving ${pct(s.moving)}  turning ${pct(s.turning)}  jump ${pct(s.jumping)}  interact ${pct(s.interacting)}`;
}
