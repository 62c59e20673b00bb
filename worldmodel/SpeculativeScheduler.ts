import type { ActionInput } from './ActionCodec.ts';
import { NextframeError } from './errors.ts';
import { NextActionPredictor } from './NextActionPredictor.ts';
import { SpeculationGovernor, type SpeculationGovernorOptions, type SpeculationMode, type SpeculationSetting } from './SpeculationGovernor.ts';
import type { Conditioning, SpeculatedFrame, WorldModel } from './WorldModel.ts';

export type { SpeculationMode, SpeculationSetting } from './SpeculationGovernor.ts';

export interface SpeculativeSchedulerOptions {
  /**
   * Default `multi`. `auto`: a `SpeculationGovernor` times the model's runs and chooses mode,
   * branches, lookahead and budget each tick to fit the device (`lookahead` and `branches` are
   * then its ceilings).
   */
  mode?: SpeculationMode | 'auto';
  /** Ticks ahead of the committed frame speculation may paint; past the first tick only the likeliest path is deepened. Default 2. */
  lookahead?: number;
  /** Multi: most candidate actions for the next tick (they are painted together in one batched run). Default 16. */
  branches?: number;
  /**
   * Compute budget: frames painted speculatively per tick, on average (batch items counted). What
   * a confident tick leaves unspent carries over to the next ones, up to twice the budget: a tick
   * never paints more than 2 · budget. Default 12 (auto: what fits).
   */
  budget?: number;
  /**
   * Multi: candidates are added, most likely first, until their predicted probabilities add up to
   * this (or `branches` is reached): one or two when the predictor is sure, more when it is not.
   * Default 0.999.
   */
  coverage?: number;
  /** Default: a new one (starts from human-play statistics, learns from this player). */
  predictor?: NextActionPredictor;
  /** Auto: the governor's options; `tickMs` defaults to the model's tick rate, the ceilings to `branches` and `lookahead`. */
  governor?: Partial<SpeculationGovernorOptions>;
  /**
   * Auto: milliseconds the run just finished took for `batch` frames. Default: the model's own
   * timing (`lastStepMs`); a benchmark on a simulated device gives its virtual cost.
   */
  measure?: (batch: number) => number;
}

/** What a tick got. */
export interface TickResult {
  /** The committed frame (CHW in [−1, 1]); it is now the newest frame of the model's history. */
  frame: Float32Array;
  /** Whether it was ready when the tick came (speculated for exactly this quantised action). */
  hit: boolean;
  key: string;
  /** The memory stream the frame was painted with (for a hit: the one rendered when it was speculated); null without memory. */
  memory: Float32Array | null;
}

export interface SpeculationStats {
  ticks: number;
  hits: number;
  /** Batched model runs (one per painted set of frames) and frames painted, on demand and speculative. */
  runs: number;
  framesPainted: number;
  /** Speculated frames thrown away because their assumed action did not happen. */
  discarded: number;
}

interface Work {
  bins: Uint8Array;
  p: number;
  parent: Node | null;
}

/**
 * The conditioning to paint a speculated frame with: one for all, or one per frame from the
 * actions it assumes after the committed frame (oldest first; its own action last), so a host
 * that can predict where those actions take the camera paints each frame for its own view.
 */
export type SpeculationConditioning = Conditioning | ((path: readonly Uint8Array[]) => Conditioning);

interface Node {
  frame: SpeculatedFrame;
  bins: Uint8Array;
  p: number;
  children: Map<string, Node>;
}

/**
 * Sits between input and the sampler: keeps a small tree of speculated future frames keyed by
 * the quantised actions they assumed (`ActionCodec.key`), serves the tick whose action matches
 * (or paints it now), and discards the rest. `speculate` does one batched run of work when the
 * model would otherwise idle; `advance` is the tick. Speculated frames enter the model's history
 * and memory only through `WorldModel.commit`, when their action happened.
 *
 * Speculation paints with the conditioning the host gives `speculate`: the last tick's view, or a
 * view predicted per assumed action path. A committed frame is remembered at the view it was
 * painted for, so memory stays registered to the frame's own geometry.
 */
export class SpeculativeScheduler {
  readonly model: WorldModel;
  /** Auto: the governor that chooses the setting each tick; null for a fixed mode. */
  readonly governor: SpeculationGovernor | null;
  readonly coverage: number;
  readonly predictor: NextActionPredictor;
  readonly stats: SpeculationStats = { ticks: 0, hits: 0, runs: 0, framesPainted: 0, discarded: 0 };
  private root = new Map<string, Node>();
  /** Frames speculation may still paint before the next tick (the budget, with what earlier ticks left). */
  private credit: number;
  /** Multi: whether the candidates for the next tick have been painted (the tree may already hold a chain from before). */
  private rootExpanded = false;
  /** Bumped by every tick and reset: a run that finishes after one belongs to a tree that is gone. */
  private epoch = 0;
  /** The frame committed last: the paths of speculated frames start after it. */
  private committed: SpeculatedFrame | null = null;
  private lastBins: Uint8Array | null = null;
  private readonly bins: Uint8Array;
  /** What speculation does now: fixed, or the governor's latest choice. */
  private current: SpeculationSetting;
  private readonly measure: (batch: number) => number;

  constructor(model: WorldModel, options: SpeculativeSchedulerOptions = {}) {
    this.model = model;
    const mode = options.mode ?? 'multi';
    const lookahead = options.lookahead ?? 2;
    const branches = options.branches ?? 16;
    const budget = options.budget ?? 12;
    this.coverage = options.coverage ?? 0.999;
    for (const [name, value] of Object.entries({ lookahead, branches, budget })) {
      if (!Number.isInteger(value) || value < 1) throw new NextframeError('bad-options', `SpeculativeScheduler: ${name} must be a positive integer, found ${value}.`);
    }
    if (!(this.coverage > 0 && this.coverage <= 1)) throw new NextframeError('bad-options', `SpeculativeScheduler: coverage must be in (0, 1], found ${this.coverage}.`);
    if (!['off', 'single', 'multi', 'auto'].includes(mode)) throw new NextframeError('bad-options', `SpeculativeScheduler: mode must be auto, off, single or multi, found ${String(mode)}.`);
    this.governor = mode === 'auto' ? new SpeculationGovernor({ tickMs: 1000 / model.manifest.tickHz, maxBranches: branches, maxLookahead: lookahead, ...options.governor }) : null;
    this.current = this.governor ? { ...this.governor.setting } : { mode: mode as SpeculationMode, lookahead, branches, budget, maxBatch: Infinity };
    this.measure = options.measure ?? (() => model.lastStepMs);
    this.predictor = options.predictor ?? new NextActionPredictor(model.codec.slots);
    this.bins = new Uint8Array(model.codec.size);
    this.credit = 0; // nothing to speculate from before the first tick; each tick brings `budget`
  }

  /** The mode in use (auto: the one the governor chose last). */
  get mode(): SpeculationMode {
    return this.current.mode;
  }

  get lookahead(): number {
    return this.current.lookahead;
  }

  get branches(): number {
    return this.current.branches;
  }

  get budget(): number {
    return this.current.budget;
  }

  /** The whole setting in use (a copy). */
  get setting(): SpeculationSetting {
    return { ...this.current };
  }

  /** Share of ticks served from a ready frame. */
  get hitRate(): number {
    return this.stats.ticks === 0 ? 0 : this.stats.hits / this.stats.ticks;
  }

  /** Speculated frames waiting (the whole tree). */
  get pending(): number {
    return this.countTree(this.root);
  }

  /** Forget every speculated frame (call after `model.reset`); learned statistics stay. */
  reset(): void {
    this.stats.discarded += this.pending;
    this.root = new Map();
    this.credit = 0;
    this.epoch++;
    this.committed = null;
    this.lastBins = null;
    this.predictor.restart();
  }

  /** Whether a frame for `action` is ready now. */
  ready(action: ActionInput): boolean {
    return this.root.has(this.model.codec.key(action));
  }

  /**
   * The tick: `action` happened. Commits the frame speculated for it (or paints it now), with
   * `conditioning` (the tick's view: painted for on a miss, remembered at on a hit), and
   * discards every speculated frame that assumed another action.
   */
  async advance(action: ActionInput, conditioning: Conditioning = {}): Promise<TickResult> {
    const bins = this.model.codec.quantise(action, this.bins);
    const key = Array.from(bins).join('.');
    const node = this.root.get(key);
    this.stats.ticks++;
    let frame: SpeculatedFrame;
    if (node) {
      this.stats.hits++;
      frame = node.frame;
      // Remembered at the view it was painted for; frames speculated without one take the tick's.
      await this.model.commit(frame, frame.view ? undefined : conditioning.view);
      this.committed = frame;
      this.root.delete(key);
      this.stats.discarded += this.countTree(this.root);
      this.root = node.children;
    } else {
      this.stats.discarded += this.countTree(this.root);
      this.root = new Map();
      [frame] = await this.paint([{ action, conditioning }]) as [SpeculatedFrame];
      await this.model.commit(frame);
      this.committed = frame;
    }
    this.predictor.observe(bins);
    this.lastBins = Uint8Array.from(bins);
    // Auto: the runs timed so far (this tick's on-demand frame too) say what fits from now on.
    if (this.governor) this.current = { ...this.governor.decide() };
    this.credit = Math.min(this.credit + this.budget, 2 * this.budget);
    this.rootExpanded = false;
    this.epoch++;
    return { frame: frame.frame, hit: node !== undefined, key, memory: frame.memory };
  }

  /**
   * One batched run of speculation, if there is work the budget allows; returns the frames it
   * painted (none: nothing to do until the next tick). `conditioning` is the view to paint for
   * (default none: fine for models without memory or depth streams). `maxFrames` caps this run's
   * batch, for a host that knows how much fits before the next tick.
   */
  async speculate(conditioning: SpeculationConditioning = {}, maxFrames = Infinity): Promise<SpeculatedFrame[]> {
    const work = this.nextWork(Math.max(1, Math.floor(Math.min(maxFrames, this.current.maxBatch))));
    if (work.length === 0) return [];
    const epoch = this.epoch;
    const conditioningOf = (w: Work): Conditioning => (typeof conditioning === 'function' ? conditioning(this.pathTo(w)) : conditioning);
    const frames = await this.paint(work.map((w) => ({ action: this.model.codec.toRaw(this.model.codec.dequantise(w.bins)), parent: w.parent?.frame ?? null, conditioning: conditioningOf(w) })));
    if (epoch !== this.epoch) return []; // a tick or reset came while it ran: its parents are gone
    this.credit -= frames.length;
    frames.forEach((frame, i) => {
      const w = work[i]!;
      (w.parent ? w.parent.children : this.root).set(frame.key, { frame, bins: w.bins, p: w.p, children: new Map() });
    });
    return frames;
  }

  /**
   * What to paint next, as one batch: the candidates for the next tick not painted yet (multi, once
   * per tick), and one frame deeper down the likeliest path (a frame may continue a frame painted
   * earlier, so both fit in one run). Single: the chain of the last action, one tick per run.
   */
  private nextWork(maxFrames: number): Work[] {
    if (this.mode === 'off' || !this.lastBins) return [];
    const room = Math.min(Math.floor(this.credit), maxFrames);
    if (room <= 0) return [];
    const work: Work[] = [];
    if (this.mode === 'multi' && !this.rootExpanded) {
      // Frames already painted (the chain of earlier ticks) count towards the coverage and are not
      // painted again; they are ranked by what the predictor says now.
      for (const node of this.root.values()) node.p = 0;
      let left = 0;
      for (const c of this.predictor.candidates(this.branches, this.coverage)) {
        const held = this.root.get(c.key);
        if (held) held.p = c.p;
        else if (work.length < room) work.push({ bins: c.bins, p: c.p, parent: null });
        else left++;
      }
      // A run cut short (by the time to the tick) leaves the rest for the next run.
      this.rootExpanded = left === 0;
    }
    if (work.length < room) {
      const deeper = this.deepen();
      if (deeper) work.push(deeper);
    }
    return work;
  }

  /** The next frame down the likeliest path of painted frames, if that path is shorter than the lookahead. */
  private deepen(): Work | null {
    let parent: Node | null = null;
    let nodes = this.root;
    const path: Uint8Array[] = [];
    for (let depth = 1; depth <= this.lookahead; depth++) {
      let best: Node | undefined;
      for (const node of nodes.values()) if (node.p > (best?.p ?? 0)) best = node;
      if (!best) {
        if (this.mode === 'single') return { bins: parent?.bins ?? this.lastBins!, p: 1, parent };
        if (!parent) return null; // multi: the next tick's candidates are the predictor's set, not this path
        const next = this.predictor.candidates(1, 1, path)[0];
        return next ? { bins: next.bins, p: next.p, parent } : null;
      }
      parent = best;
      nodes = best.children;
      path.push(best.bins);
    }
    return null;
  }

  /** The actions from the committed frame to `w`'s frame, oldest first. */
  private pathTo(w: Work): Uint8Array[] {
    const path = [w.bins];
    for (let frame = w.parent?.frame ?? null; frame && frame !== this.committed; frame = frame.parent) path.unshift(Uint8Array.from(frame.key.split('.'), Number));
    return path;
  }

  private async paint(requests: Parameters<WorldModel['sampleBranches']>[0]): Promise<SpeculatedFrame[]> {
    const frames = await this.model.sampleBranches(requests);
    this.governor?.observeRun(frames.length, this.measure(frames.length));
    this.stats.runs++;
    this.stats.framesPainted += frames.length;
    return frames;
  }

  private countTree(nodes: Map<string, Node>): number {
    let n = 0;
    for (const node of nodes.values()) n += 1 + this.countTree(node.children);
    return n;
  }
}
