import type { StatsEvent } from './pluginEvents.ts';

/** Sums over a reporting window (about half a second), turned into a `StatsEvent`. */
export class StatsWindow {
  updates = 0;
  draws = 0;
  frames = 0;
  physicsMs = 0;
  depthMs = 0;
  updateMs = 0;
  private since = 0;

  /** The event when the window is over (then a new one starts), else null. */
  report(now: number, fixed: Pick<StatsEvent, 'tickHz' | 'modelMs' | 'backend' | 'ticks'>, lastDepthMs: number): StatsEvent | null {
    if (this.since === 0) this.since = now;
    const elapsed = now - this.since;
    if (elapsed < 500) return null;
    const event: StatsEvent = {
      displayFps: (this.updates * 1000) / elapsed,
      drawFps: (this.draws * 1000) / elapsed,
      worldFps: (this.frames * 1000) / elapsed,
      depthMs: this.frames > 0 ? this.depthMs / this.frames : lastDepthMs,
      physicsMs: this.physicsMs / Math.max(1, this.updates),
      updateMs: this.updateMs / Math.max(1, this.updates),
      speculationHitRate: null,
      memoryCoverage: null,
      ...fixed,
    };
    this.since = now;
    this.updates = this.draws = this.frames = 0;
    this.physicsMs = this.depthMs = this.updateMs = 0;
    return event;
  }
}
