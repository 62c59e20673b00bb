import type { StatsEvent } from './pluginEvents.ts';

/** Sums over a reporting window (about half a second), turned into a `StatsEvent`. */
export class StatsWindow {
  updates = 0;
  draws = 0;
  frames = 0;
  physicsMs = 0;
  depthMs = 0;
  /** Spatial memory's milliseconds, summed over the window's world frames. */
  memoryMs = 0;
  /** Display frames' milliseconds, summed over the window's world frames that had one, and how many did. */
  displayMs = 0;
  displayFrames = 0;
  updateMs = 0;
  private since = 0;

  /**
   * The event when the window is over (then a new one starts), else null. `lastDepthMs` and
   * `lastMemoryMs` stand in when the window saw no world frame; the memory fields default to a
   * model without memory, the display fields to the bicubic stretch of a `displaySize` frame
   * (display frames' ms are null when the window made none).
   */
  report(
    now: number,
    fixed: Pick<StatsEvent, 'tickHz' | 'modelMs' | 'backend' | 'ticks'> &
      Partial<Pick<StatsEvent, 'memoryState' | 'memoryCoverage' | 'memoryKeyframes' | 'speculationHitRate' | 'speculationMode' | 'speculationAuto' | 'speculationBranches' | 'speculationLookahead' | 'display' | 'displaySteppedDown' | 'displayWidth' | 'displayHeight'>>,
    lastDepthMs: number,
    lastMemoryMs = 0,
  ): StatsEvent | null {
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
      speculationMode: 'off',
      speculationAuto: false,
      speculationBranches: 0,
      speculationLookahead: 0,
      memoryState: 'none',
      memoryCoverage: null,
      memoryKeyframes: null,
      display: 'bicubic',
      displaySteppedDown: false,
      displayWidth: 0,
      displayHeight: 0,
      displayMs: this.displayFrames > 0 ? this.displayMs / this.displayFrames : null,
      ...fixed,
      memoryMs: (fixed.memoryState ?? 'none') === 'none' ? null : this.frames > 0 ? this.memoryMs / this.frames : lastMemoryMs,
    };
    this.since = now;
    this.updates = this.draws = this.frames = this.displayFrames = 0;
    this.physicsMs = this.depthMs = this.memoryMs = this.updateMs = this.displayMs = 0;
    return event;
  }
}
