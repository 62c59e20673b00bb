import { NextframeError } from './errors.ts';

/** `off`: paint each frame when asked. `single`: assume the action continues (Next-Frame Diffusion). `multi`: several predicted actions per run. */
export type SpeculationMode = 'off' | 'single' | 'multi';

/** What speculation does each tick: the scheduler's mode and limits. */
export interface SpeculationSetting {
  mode: SpeculationMode;
  /** Multi: most candidate actions for the next tick (painted together in one batched run). */
  branches: number;
  /** Ticks ahead of the committed frame speculation may paint. */
  lookahead: number;
  /** Frames painted speculatively per tick, on average. */
  budget: number;
  /** The largest batch one speculation run may paint (so a run ends before the tick). */
  maxBatch: number;
}

export interface SpeculationGovernorOptions {
  /** Milliseconds between ticks (1000 / the tick rate). Required. */
  tickMs: number;
  /**
   * Share of a tick the speculation runs of one tick may take, in (0, 1]: the rest is for the
   * tick's own frame on a miss and for the host (on WASM the model's CPU is the page's). Default 0.7:
   * replaying the shipped traces on the arena model's measured CPU costs, the batch that took about
   * half the tick (multi-3) served the most ticks, with 0.6 auto stopped a size short of it.
   */
  share?: number;
  /** Ceilings for what auto may choose: candidates per tick (default 16) and lookahead (default 2). */
  maxBranches?: number;
  maxLookahead?: number;
  /**
   * Hysteresis: a costlier setting is taken only when its estimated cost is under
   * (1 − upMargin) of the room for `upTicks` ticks in a row; a setting is left as soon as its cost
   * is over the room for `downTicks` ticks in a row. Defaults 0.25, 8 and 2.
   */
  upMargin?: number;
  upTicks?: number;
  downTicks?: number;
  /** Weight of a new run in the running estimate of the device's speed, in (0, 1]. Default 0.3. */
  alpha?: number;
  /**
   * The host's frame budget, ms (default 1000 / 30): when `observeHost` reports frames slower
   * than this, the room speculation has shrinks (×0.75 per report, down to a quarter), and it
   * grows back (+0.1 per report) while they are comfortably faster (under 0.85 of it).
   */
  frameBudgetMs?: number;
}

/** A rung of the ladder auto climbs: what it sets and the batch one tick of it paints. */
interface Rung {
  setting: SpeculationSetting;
  /** Speculation work a tick at this rung needs, as batched runs (batch sizes). */
  runs: number[];
}

const MULTI_BRANCHES = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];
/** Runs remembered to learn `k` from, its bounds and its learning rate. */
const RECENT_RUNS = 8;
const K_MAX = 1.5;
const K_RATE = 0.5;
/** What a further batch frame is assumed to cost, relative to the first, when trying multi once to learn it (a 2-core CPU measured 0.3). */
const K_PROBE = 0.25;

/**
 * Chooses speculation's setting from how fast the device is now (`speculation: 'auto'`). It
 * times the model's own runs and models a run of B frames as `a · (1 + k·(B − 1))`: `a`, what one
 * frame costs now, follows every run (an exponential average), so it moves as load changes; `k`,
 * what a further frame in a batch adds relative to the first (about 1 on a CPU, far less on a
 * GPU), is a property of the device, learned from two runs of clearly different sizes close
 * together (before any, 1: the cautious guess). Once a tick it picks the costliest rung of a
 * ladder (off, single one tick ahead, single two ahead, multi with 2, 3, 4, 6, … candidates) whose
 * tick of work fits in `share` of the tick (less while the host drops frames): down at once when
 * the current rung stops fitting, up one rung at a time when the next fits with room to spare for
 * a while, so it does not flap (and once, to learn k, into the first multi rung from single when
 * cheap batches would make it fit).
 * Pure bookkeeping: no clock of its own, no model.
 */
export class SpeculationGovernor {
  readonly tickMs: number;
  readonly share: number;
  readonly upMargin: number;
  readonly upTicks: number;
  readonly downTicks: number;
  readonly alpha: number;
  readonly frameBudgetMs: number;
  /** Setting changes so far. */
  changes = 0;
  private readonly ladder: Rung[];
  private rung = 0;
  private decided = false;
  /** Milliseconds one frame costs now (0: no run timed yet). */
  private unitMs = 0;
  /** A further frame in a batch costs `k` times the first. */
  private k = 1;
  /** Whether `k` was learned (from two runs of clearly different sizes) or is still the guess. */
  private kLearned = false;
  /** The last runs, newest last: where `k` is learned from. */
  private readonly recent: { batch: number; ms: number }[] = [];
  private hostFactor = 1;
  private upCount = 0;
  private downCount = 0;
  constructor(options: SpeculationGovernorOptions) {
    this.tickMs = options.tickMs;
    this.share = options.share ?? 0.7;
    this.upMargin = options.upMargin ?? 0.25;
    this.upTicks = options.upTicks ?? 8;
    this.downTicks = options.downTicks ?? 2;
    this.alpha = options.alpha ?? 0.3;
    this.frameBudgetMs = options.frameBudgetMs ?? 1000 / 30;
    const maxBranches = options.maxBranches ?? 16;
    const maxLookahead = options.maxLookahead ?? 2;
    const checks: [string, number, boolean][] = [
      ['tickMs', this.tickMs, this.tickMs > 0],
      ['share', this.share, this.share > 0 && this.share <= 1],
      ['upMargin', this.upMargin, this.upMargin >= 0 && this.upMargin < 1],
      ['upTicks', this.upTicks, Number.isInteger(this.upTicks) && this.upTicks >= 1],
      ['downTicks', this.downTicks, Number.isInteger(this.downTicks) && this.downTicks >= 1],
      ['alpha', this.alpha, this.alpha > 0 && this.alpha <= 1],
      ['frameBudgetMs', this.frameBudgetMs, this.frameBudgetMs > 0],
      ['maxBranches', maxBranches, Number.isInteger(maxBranches) && maxBranches >= 1],
      ['maxLookahead', maxLookahead, Number.isInteger(maxLookahead) && maxLookahead >= 1],
    ];
    for (const [name, value, ok] of checks) if (!ok) throw new NextframeError('bad-options', `SpeculationGovernor: ${name} is out of range, found ${value}; see SpeculationGovernorOptions for what each takes.`);
    this.ladder = buildLadder(maxBranches, maxLookahead);
  }

  /** What speculation should do now. */
  get setting(): Readonly<SpeculationSetting> {
    return this.ladder[this.rung]!.setting;
  }

  /** Milliseconds a tick of speculation may take now (`share` of the tick, less while the host drops frames). */
  get roomMs(): number {
    return this.share * this.tickMs * this.hostFactor;
  }

  /** A run of `batch` frames took `ms` (speculative or on demand). */
  observeRun(batch: number, ms: number): void {
    if (!Number.isInteger(batch) || batch < 1 || !(ms > 0) || !Number.isFinite(ms)) return;
    // Against the newest run of a size at least twice or half this one: sizes close together say
    // little about k, and runs long ago may have run under another load.
    const other = this.recent.findLast((r) => Math.max(r.batch, batch) >= 2 * Math.min(r.batch, batch));
    if (other) {
      const [small, large] = other.batch < batch ? [other, { batch, ms }] : [{ batch, ms }, other];
      // large/small = (1 + k(L − 1)) / (1 + k(S − 1)), solved for k.
      const rho = large.ms / small.ms;
      const denominator = large.batch - 1 - rho * (small.batch - 1);
      if (denominator > 0) {
        const k = Math.min(K_MAX, Math.max(0, (rho - 1) / denominator));
        // The first pair replaces the guess; later ones average in.
        this.k = this.kLearned ? this.k + K_RATE * (k - this.k) : k;
        this.kLearned = true;
      }
    }
    this.recent.push({ batch, ms });
    if (this.recent.length > RECENT_RUNS) this.recent.shift();
    const unit = ms / (1 + this.k * (batch - 1));
    // In log space: a run twice as slow moves the estimate as far as one twice as fast.
    this.unitMs = this.unitMs === 0 ? unit : this.unitMs * (unit / this.unitMs) ** this.alpha;
  }

  /** The host's display frame time, ms (e.g. 1000 / its frame rate, about twice a second). */
  observeHost(frameMs: number): void {
    if (!(frameMs > 0) || !Number.isFinite(frameMs)) return;
    if (frameMs > this.frameBudgetMs) this.hostFactor = Math.max(0.25, this.hostFactor * 0.75);
    else if (frameMs < 0.85 * this.frameBudgetMs) this.hostFactor = Math.min(1, this.hostFactor + 0.1);
  }

  /** Estimated milliseconds of a run of `batch` frames now (0 before any run was timed). */
  estimateMs(batch: number): number {
    return this.unitMs * (1 + this.k * (batch - 1));
  }

  /** What a further frame in a batch costs relative to the first, as learned so far. */
  get batchSlope(): number {
    return this.k;
  }

  /** Estimated milliseconds of speculation work one tick of `rung` takes. */
  private costOf(rung: Rung): number {
    let ms = 0;
    for (const batch of rung.runs) ms += this.estimateMs(batch);
    return ms;
  }

  /**
   * Once a tick: move along the ladder if the device's speed says so; returns the setting to use.
   * Before any run has been timed it stays off; the first decision after one jumps straight to
   * the costliest rung that fits, later ones step down at once and up one rung at a time.
   */
  decide(): Readonly<SpeculationSetting> {
    if (this.unitMs === 0) return this.setting;
    const room = this.roomMs;
    const fits = (r: number, margin: number): boolean => this.costOf(this.ladder[r]!) <= (1 - margin) * room;
    if (!this.decided) {
      this.decided = true;
      let r = 0;
      while (r + 1 < this.ladder.length && fits(r + 1, 0)) r++;
      this.moveTo(r);
      return this.setting;
    }
    if (this.rung > 0 && !fits(this.rung, 0)) {
      this.upCount = 0;
      if (++this.downCount >= this.downTicks) {
        let r = this.rung - 1;
        while (r > 0 && !fits(r, 0)) r--;
        this.moveTo(r);
      }
      return this.setting;
    }
    this.downCount = 0;
    const next = this.ladder[this.rung + 1];
    // Until two batch sizes have been timed, a batch's cost is a guess (k = 1, a frame's worth a
    // frame): the first multi rung is tried once if it would fit where batches are cheap
    // (k = K_PROBE), and the run it makes teaches k (if it does not fit, the step down comes
    // after `downTicks`).
    const probe = next !== undefined && !this.kLearned && next.setting.mode === 'multi' && next.runs.reduce((ms, b) => ms + this.unitMs * (1 + K_PROBE * (b - 1)), 0) <= room;
    if (next && (fits(this.rung + 1, this.upMargin) || probe)) {
      if (++this.upCount >= this.upTicks) this.moveTo(this.rung + 1);
    } else {
      this.upCount = 0;
    }
    return this.setting;
  }

  private moveTo(rung: number): void {
    if (rung !== this.rung) this.changes++;
    this.rung = rung;
    this.upCount = this.downCount = 0;
  }
}

/** Off; single one and two ticks ahead; multi with more and more candidates (each with one frame deeper when the lookahead allows). */
function buildLadder(maxBranches: number, maxLookahead: number): Rung[] {
  const ladder: Rung[] = [{ setting: { mode: 'off', branches: 1, lookahead: 1, budget: 1, maxBatch: 1 }, runs: [] }];
  ladder.push({ setting: { mode: 'single', branches: 1, lookahead: 1, budget: 1, maxBatch: 1 }, runs: [1] });
  // Two ahead: one frame a tick once the chain is built, but a miss refills two (in that tick, so budget 2).
  if (maxLookahead >= 2) ladder.push({ setting: { mode: 'single', branches: 1, lookahead: 2, budget: 2, maxBatch: 1 }, runs: [1, 1] });
  const lookahead = Math.min(maxLookahead, 2);
  const deeper = lookahead > 1 ? 1 : 0;
  for (const branches of MULTI_BRANCHES) {
    if (branches > maxBranches) break;
    const batch = branches + deeper;
    ladder.push({ setting: { mode: 'multi', branches, lookahead, budget: batch, maxBatch: batch }, runs: [batch] });
  }
  return ladder;
}
