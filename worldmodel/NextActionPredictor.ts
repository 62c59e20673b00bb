import { NextframeError } from './errors.ts';
import type { ActionSlot } from './manifestSchema.ts';

/** A predicted next action: its bins, `ActionCodec.key`-style key, and probability. */
export interface ActionCandidate {
  bins: Uint8Array;
  key: string;
  p: number;
}

/**
 * How people's quantised actions change tick to tick, before anything is learned from this
 * player: per slot, the chance the bin stays, and the chance of each one-bin and two-bin move
 * (per direction). Measured on the two VPT human traces (engine/capture/recorder/traces, 2 × 1200
 * ticks, mapped by engine/capture/players/humanTraces.ts): movement bins stayed 98.1 % of ticks and
 * moved two bins 1.7 % (a key press), camera bins stayed 94.0 %, moved one 5.2 %, two 0.7 %;
 * buttons stayed 97.0 %.
 */
export const HUMAN_PLAY_PRIOR: ActionPrior = Object.freeze({
  axis: { stay: 0.981, one: 0.0008, two: 0.0086 },
  look: { stay: 0.94, one: 0.026, two: 0.0034 },
  button: { stay: 0.97, one: 0.03, two: 0 },
});

/**
 * How a slot's bin changes from one tick to the next, per kind of slot (`look`: yaw and pitch;
 * `axis`: the other axes; `button`): the chance it stays, and of a one-bin and a two-bin move in
 * each direction (buttons: of a change). `fitActionPrior` measures one from traces.
 */
export type ActionPrior = Readonly<Record<PriorKind, Readonly<{ stay: number; one: number; two: number }>>>;

export type PriorKind = 'axis' | 'look' | 'button';

/** Which of the prior's kinds a slot is. */
export function priorKind(slot: ActionSlot): PriorKind {
  return slot.kind === 'button' ? 'button' : slot.name === 'yaw' || slot.name === 'pitch' ? 'look' : 'axis';
}

export interface NextActionPredictorOptions {
  /**
   * What is expected before anything is learned from this player. Default `HUMAN_PLAY_PRIOR`
   * (measured on both shipped traces: a benchmark replaying one of them fits its own on the others).
   */
  prior?: ActionPrior;
  /** Pseudo-counts the prior is worth against what is learned. Default 2. */
  priorWeight?: number;
  /** Candidates kept per slot when combining slots. Default 4. */
  perSlot?: number;
}

type Counts = Map<string, Map<number, number>>;

/**
 * Predicts the player's next quantised action from their own recent input, for speculative
 * sampling to paint the likely next frames before they are asked for. Two views are mixed:
 *
 * - per slot, the next bin given that slot's last two bins (backing off to the last one, then to
 *   the human-play prior): captures held keys, camera momentum and button rhythm;
 * - the whole action given the last whole action: captures slots that change together
 *   (turning while strafing).
 *
 * Each weighs in by how much evidence it has (counts / (counts + priorWeight)). It starts from
 * the prior alone and learns online from `observe`.
 */
export class NextActionPredictor {
  readonly slots: readonly ActionSlot[];
  private readonly priorWeight: number;
  private readonly perSlot: number;
  private readonly priorTable: ActionPrior;
  private readonly order2: Counts[];
  private readonly order1: Counts[];
  private readonly whole: Map<string, Map<string, number>> = new Map();
  private readonly recent: Uint8Array[] = [];

  constructor(slots: readonly ActionSlot[], options: NextActionPredictorOptions = {}) {
    if (slots.length === 0) throw new NextframeError('bad-actions', 'NextActionPredictor: expected at least one action slot.');
    this.slots = slots;
    this.priorWeight = options.priorWeight ?? 2;
    this.perSlot = options.perSlot ?? 4;
    this.priorTable = options.prior ?? HUMAN_PLAY_PRIOR;
    this.order2 = slots.map(() => new Map());
    this.order1 = slots.map(() => new Map());
  }

  /** The player took `bins` (one bin per slot): learn from it. */
  observe(bins: ArrayLike<number>): void {
    const next = Uint8Array.from(bins as ArrayLike<number>);
    if (next.length !== this.slots.length) throw new NextframeError('bad-action', `NextActionPredictor: expected ${this.slots.length} bins, found ${next.length}.`);
    const [prev, prev2] = [this.recent[this.recent.length - 1], this.recent[this.recent.length - 2]];
    if (prev) {
      for (let s = 0; s < this.slots.length; s++) {
        bump(this.order1[s]!, String(prev[s]), next[s]!);
        if (prev2) bump(this.order2[s]!, `${prev2[s]},${prev[s]}`, next[s]!);
      }
      const key = keyOf(prev);
      const row = this.whole.get(key) ?? new Map<string, number>();
      row.set(keyOf(next), (row.get(keyOf(next)) ?? 0) + 1);
      this.whole.set(key, row);
    }
    this.recent.push(next);
    if (this.recent.length > 2) this.recent.shift();
  }

  /** Forget the last actions (a restart), keeping what was learned about the player. */
  restart(): void {
    this.recent.length = 0;
  }

  /** The last action observed, or null. */
  get last(): Uint8Array | null {
    return this.recent[this.recent.length - 1] ?? null;
  }

  /**
   * The most likely next actions, most likely first, until their probabilities add up to
   * `coverage` or there are `limit` of them. `after` predicts as if these actions (oldest first)
   * had followed the observed ones (for speculating deeper than one tick).
   */
  candidates(limit: number, coverage = 1, after: readonly Uint8Array[] = []): ActionCandidate[] {
    const recent = [...this.recent, ...after].slice(-2);
    const prev = recent[recent.length - 1];
    if (!prev) return [];
    const prev2 = recent.length > 1 ? recent[0]! : null;
    // Per-slot distributions, then their best combinations (slots taken as independent).
    let combos: { bins: number[]; p: number }[] = [{ bins: [], p: 1 }];
    for (let s = 0; s < this.slots.length; s++) {
      const dist = [...this.slotDistribution(s, prev[s]!, prev2?.[s] ?? null)].sort((a, b) => b[1] - a[1]).slice(0, this.perSlot);
      const next: { bins: number[]; p: number }[] = [];
      for (const c of combos) for (const [bin, p] of dist) next.push({ bins: [...c.bins, bin], p: c.p * p });
      combos = next.sort((a, b) => b.p - a.p).slice(0, 64);
    }
    const scores = new Map<string, number>();
    const row = this.whole.get(keyOf(prev));
    const seen = row ? sum(row.values()) : 0;
    const w = seen / (seen + this.priorWeight);
    for (const c of combos) scores.set(c.bins.join('.'), (1 - w) * c.p);
    if (row) for (const [key, n] of row) scores.set(key, (scores.get(key) ?? 0) + (w * n) / seen);
    const ranked = [...scores].sort((a, b) => b[1] - a[1]);
    const out: ActionCandidate[] = [];
    let total = 0;
    for (const [key, p] of ranked) {
      if (out.length >= limit || total >= coverage) break;
      out.push({ key, p, bins: Uint8Array.from(key.split('.').map(Number)) });
      total += p;
    }
    return out;
  }

  /** P(next bin of slot s) from its last bins: order 2, backing off to order 1, then the prior. */
  private slotDistribution(s: number, prev: number, prev2: number | null): Map<number, number> {
    const dist = new Map<number, number>();
    const add = (counts: Map<number, number> | undefined, weight: number): void => {
      if (!counts || weight <= 0) return;
      const n = sum(counts.values());
      for (const [bin, c] of counts) dist.set(bin, (dist.get(bin) ?? 0) + (weight * c) / n);
    };
    const c2 = prev2 === null ? undefined : this.order2[s]!.get(`${prev2},${prev}`);
    const c1 = this.order1[s]!.get(String(prev));
    const n2 = c2 ? sum(c2.values()) : 0;
    const n1 = c1 ? sum(c1.values()) : 0;
    const w2 = n2 / (n2 + this.priorWeight);
    const w1 = ((1 - w2) * n1) / (n1 + this.priorWeight);
    add(c2, w2);
    add(c1, w1);
    add(this.prior(s, prev), 1 - w2 - w1);
    return dist;
  }

  private prior(s: number, prev: number): Map<number, number> {
    const slot = this.slots[s]!;
    const { stay, one, two } = this.priorTable[priorKind(slot)];
    const dist = new Map<number, number>([[prev, stay]]);
    for (const [d, p] of [[-1, one], [1, one], [-2, two], [2, two]] as const) {
      const bin = prev + d;
      if (bin >= 0 && bin < slot.bins && p > 0) dist.set(bin, p);
    }
    const total = sum(dist.values());
    for (const [bin, p] of dist) dist.set(bin, p / total);
    return dist;
  }
}

function bump(counts: Counts, context: string, bin: number): void {
  const row = counts.get(context) ?? new Map<number, number>();
  row.set(bin, (row.get(bin) ?? 0) + 1);
  counts.set(context, row);
}

function keyOf(bins: ArrayLike<number>): string {
  return Array.from(bins).join('.');
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
