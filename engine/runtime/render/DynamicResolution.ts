export interface DynamicResolutionOptions {
  /** Display rate to hold, frames per second. Default 50. */
  targetFps?: number;
  /** Lowest and highest resolution scale (a factor on the device pixel ratio). Defaults 0.35 and 1. */
  min?: number;
  max?: number;
  /** Good reports in a row before the scale goes back up. Default 4 (about 2 s of stats). */
  patience?: number;
}

/**
 * Dynamic resolution, as games do it: when drawing is what holds the display rate down (most
 * frames draw, and they come slower than the target), render fewer pixels; when there is room
 * again, render more. Software-rendered browsers (SwiftShader, llvmpipe) pay per pixel, so this is
 * what keeps them at the display rate; on a real GPU the scale stays at 1. The world frame is
 * 64 px or so upscaled, so a lower scale costs little sharpness. Pure logic: feed it measurements,
 * apply the scale it returns (e.g. `renderer.setPixelRatio(devicePixelRatio * scale)`).
 */
export class DynamicResolution {
  scale: number;
  private readonly target: number;
  private readonly min: number;
  private readonly max: number;
  private readonly patience: number;
  private good = 0;

  constructor(options: DynamicResolutionOptions = {}) {
    this.target = options.targetFps ?? 50;
    this.min = options.min ?? 0.35;
    this.max = options.max ?? 1;
    this.patience = options.patience ?? 4;
    this.scale = this.max;
  }

  /**
   * One measurement window: the display rate and how many of those frames drew. Returns the
   * scale to use from now on.
   */
  update(displayFps: number, drawFps: number): number {
    const drawBound = drawFps >= 0.25 * displayFps;
    if (displayFps < this.target && drawBound) {
      this.good = 0;
      // Pixels go with the square of the scale: step the area down by about a third.
      this.scale = Math.max(this.min, round(this.scale * 0.82));
    } else if (displayFps >= this.target + 5 && drawBound) {
      // Only windows that drew a fair amount show that more pixels would be affordable.
      if (++this.good >= this.patience && this.scale < this.max) {
        this.good = 0;
        this.scale = Math.min(this.max, round(this.scale * 1.12));
      }
    } else if (displayFps < this.target + 5) {
      this.good = 0;
    }
    return this.scale;
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}
