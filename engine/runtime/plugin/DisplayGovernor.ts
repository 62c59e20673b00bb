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
  /** Weight of a new measurement in the running estimate of what a display frame costs, in (0, 1]. Default 0.3. */
  alpha?: number;
}

/**
 * Decides, once a tick, whether the display upsampler's frame fits: the model's frame (what one
 * costs on the device now: the speculation governor's estimate when speculation is auto) plus the
 * display frame must fit in `share` of the tick. Over it for `downTicks` ticks in a row, the
 * display steps down to bicubic (the compositor's stretch of the model's frame, no display frame
 * made); with room for `upTicks` ticks in a row it steps back up. While stepped down no display
 * frame is timed, so its cost is estimated from the last ones relative to the model's frame at the
 * time: both run on the same device, so when the device speeds up (another tab stops, throttling
 * ends) the estimate follows the model's measured frames down. Pure bookkeeping: no clock, no model.
 */
export class DisplayGovernor {
  readonly tickMs: number;
  readonly share: number;
  readonly downTicks: number;
  readonly upTicks: number;
  readonly upMargin: number;
  readonly alpha: number;
  /** Steps down and up so far. */
  changes = 0;
  private down = false;
  /** A display frame's cost relative to a model frame's, from the ones timed (0: none yet). */
  private ratio = 0;
  private lastCostMs = 0;
  private over = 0;
  private room = 0;

  constructor(options: DisplayGovernorOptions) {
    this.tickMs = options.tickMs;
    this.share = options.share ?? 0.8;
    this.downTicks = options.downTicks ?? 2;
    this.upTicks = options.upTicks ?? 10;
    this.upMargin = options.upMargin ?? 0.25;
    this.alpha = options.alpha ?? 0.3;
    const checks: [string, number, boolean][] = [
      ['tickMs', this.tickMs, this.tickMs > 0 && Number.isFinite(this.tickMs)],
      ['share', this.share, this.share > 0 && this.share <= 1],
      ['downTicks', this.downTicks, Number.isInteger(this.downTicks) && this.downTicks >= 1],
      ['upTicks', this.upTicks, Number.isInteger(this.upTicks) && this.upTicks >= 1],
      ['upMargin', this.upMargin, this.upMargin >= 0 && this.upMargin < 1],
      ['alpha', this.alpha, this.alpha > 0 && this.alpha <= 1],
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
    return this.ratio * modelMs;
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
    if (displayMs !== null && displayMs >= 0 && Number.isFinite(displayMs) && modelMs > 0) {
      const ratio = displayMs / modelMs;
      this.ratio = this.ratio === 0 ? ratio : this.ratio + this.alpha * (ratio - this.ratio);
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
      this.room = cost <= (1 - this.upMargin) * budget ? this.room + 1 : 0;
      if (this.room >= this.upTicks) this.move(false);
    }
    return !this.down;
  }

  private move(down: boolean): void {
    this.down = down;
    this.changes++;
    this.over = this.room = 0;
  }
}
