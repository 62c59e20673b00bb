import { NextframeError } from '../../../worldmodel/index.ts';

export interface DisplayGovernorOptions {
  /** Milliseconds between ticks (1000 / the tick rate). Required. */
  tickMs: number;
  /**
   * Share of a tick the model's frame and its display frame may take together, in (0, 1]. Default
   * 0.8: the design's tick budget (40 ms of a 50 ms tick at 20 Hz), the rest left to the page.
   */
  share?: number;
  /** Ticks in a row over the budget before the display steps down to bicubic. Default 2. */
  downTicks?: number;
  /**
   * Ticks in a row with room before it steps back up: the model's frame plus the display frame's
   * estimated cost under (1 − `upMargin`) of the budget. Defaults 10 and 0.25.
   */
  upTicks?: number;
  upMargin?: number;
  /**
   * Stepped down this many ticks and the model's frame alone leaves room (under 1 − `upMargin` of
   * the budget): try display frames again, to measure them anew (the estimate may be stale: the
   * first runs of a session are slow). Default 100 (5 s at 20 Hz).
   */
  retryTicks?: number;
  /**
   * The first ticks are not judged: the first runs of a session are slow (onnxruntime compiles and
   * allocates), which says nothing about the ticks after. Default 8.
   */
  warmupTicks?: number;
}

/** Display-to-model cost ratios remembered; their median is the estimate (a hiccup or two do not move it). */
const RECENT = 8;

/**
 * Decides, once a tick, whether the display upsampler's frame fits: the model's frame (what one
 * costs on the device now: the speculation governor's estimate when speculation is auto) plus the
 * display frame must fit in `share` of the tick. Over it for `downTicks` ticks in a row, the
 * display steps down to bicubic (the compositor's stretch of the model's frame, no display frame
 * made); with room for `upTicks` ticks in a row it steps back up. While stepped down no display
 * frame is timed, so its cost is estimated from the last ones relative to the model's frame at the
 * time (the median of the last 8: a hiccup does not move it): both run on the same device, so when
 * the device speeds up (another tab stops, throttling ends) the estimate follows the model's
 * measured frames down; and after `retryTicks` down with room for the model's frame it tries
 * display frames again, to measure them anew. The first `warmupTicks` are not judged (a session's
 * first runs are slow). Pure bookkeeping: no clock, no model.
 */
export class DisplayGovernor {
  readonly tickMs: number;
  readonly share: number;
  readonly downTicks: number;
  readonly upTicks: number;
  readonly upMargin: number;
  readonly retryTicks: number;
  readonly warmupTicks: number;
  /** Steps down and up so far. */
  changes = 0;
  private down = false;
  /** The last display frames' costs relative to the model frame's at the time, newest last. */
  private readonly ratios: number[] = [];
  private lastCostMs = 0;
  private over = 0;
  private room = 0;
  private downFor = 0;
  private seen = 0;

  constructor(options: DisplayGovernorOptions) {
    this.tickMs = options.tickMs;
    this.share = options.share ?? 0.8;
    this.downTicks = options.downTicks ?? 2;
    this.upTicks = options.upTicks ?? 10;
    this.upMargin = options.upMargin ?? 0.25;
    this.retryTicks = options.retryTicks ?? 100;
    this.warmupTicks = options.warmupTicks ?? 8;
    const checks: [string, number, boolean][] = [
      ['tickMs', this.tickMs, this.tickMs > 0 && Number.isFinite(this.tickMs)],
      ['share', this.share, this.share > 0 && this.share <= 1],
      ['downTicks', this.downTicks, Number.isInteger(this.downTicks) && this.downTicks >= 1],
      ['upTicks', this.upTicks, Number.isInteger(this.upTicks) && this.upTicks >= 1],
      ['upMargin', this.upMargin, this.upMargin >= 0 && this.upMargin < 1],
      ['retryTicks', this.retryTicks, Number.isInteger(this.retryTicks) && this.retryTicks >= 1],
      ['warmupTicks', this.warmupTicks, Number.isInteger(this.warmupTicks) && this.warmupTicks >= 0],
    ];
    for (const [name, value, ok] of checks) {
      if (!ok) throw new NextframeError('bad-options', `DisplayGovernor: ${name} is out of range, found ${value}; see DisplayGovernorOptions for what each takes.`);
    }
  }

  /** Milliseconds of a tick the model's frame and the display frame may take together. */
  get budgetMs(): number {
    return this.share * this.tickMs;
  }

  /** Whether the display is stepped down to bicubic now. */
  get steppedDown(): boolean {
    return this.down;
  }

  /** Estimated milliseconds of a display frame when a model frame takes `modelMs` (0 before any was timed). */
  estimateDisplayMs(modelMs: number): number {
    if (this.ratios.length === 0) return 0;
    const sorted = [...this.ratios].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return median * modelMs;
  }

  /** The model's frame and the display frame, as the last tick measured or estimated them, ms. */
  get costMs(): number {
    return this.lastCostMs;
  }

  /**
   * One tick: a model frame costs `modelMs` on the device now; `displayMs` is what this tick's
   * display frame took, or null when none was made (stepped down). Returns whether the display
   * frame should be made from the next tick on (false: stepped down).
   */
  observe(modelMs: number, displayMs: number | null): boolean {
    if (!(modelMs >= 0) || !Number.isFinite(modelMs)) return !this.down;
    if (this.seen++ < this.warmupTicks) return !this.down;
    if (displayMs !== null && displayMs >= 0 && Number.isFinite(displayMs) && modelMs > 0) {
      this.ratios.push(displayMs / modelMs);
      if (this.ratios.length > RECENT) this.ratios.shift();
    }
    const display = displayMs !== null && displayMs >= 0 && Number.isFinite(displayMs) ? displayMs : this.estimateDisplayMs(modelMs);
    const cost = (this.lastCostMs = modelMs + display);
    const budget = this.budgetMs;
    if (!this.down) {
      this.room = 0;
      this.over = cost > budget ? this.over + 1 : 0;
      if (this.over >= this.downTicks) this.move(true);
    } else {
      this.over = 0;
      const roomy = (1 - this.upMargin) * budget;
      this.room = cost <= roomy ? this.room + 1 : 0;
      if (this.room >= this.upTicks || (++this.downFor >= this.retryTicks && modelMs <= roomy)) this.move(false);
    }
    return !this.down;
  }

  private move(down: boolean): void {
    this.down = down;
    this.changes++;
    this.over = this.room = this.downFor = 0;
  }
}
