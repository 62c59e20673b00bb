import { bicubicUpsample } from './bicubicUpsample.ts';
import { assertDisplayInputs, type DisplayInputs, type DisplayUpsampler } from './DisplayUpsampler.ts';
import { describeValue, NextframeError } from './errors.ts';

export interface BicubicUpsamplerOptions {
  /** The model frame size (pixels). */
  width: number;
  height: number;
  /** Display frames are this many times larger per side. Default 4. */
  scale?: number;
}

/**
 * The display frame without a network: the model's frame enlarged with the Catmull-Rom cubic
 * (`bicubicUpsample`, the compositor's filter); memory and depth are not read. The baseline every
 * learned upsampler stands beside, and what a host steps down to when one costs too much.
 */
export class BicubicUpsampler implements DisplayUpsampler {
  readonly kind = 'bicubic';
  readonly scale: number;
  readonly width: number;
  readonly height: number;
  lastMs = 0;
  private disposed = false;

  constructor(options: BicubicUpsamplerOptions) {
    const { width, height, scale = 4 } = options;
    if (![width, height, scale].every((v) => Number.isInteger(v) && v >= 1) || scale > 16) {
      throw new NextframeError('bad-options', `BicubicUpsampler: expected positive integer width and height (the model frame size) and scale from 1 to 16, found ${describeValue(options)}.`);
    }
    this.width = width;
    this.height = height;
    this.scale = scale;
  }

  async upsample(inputs: DisplayInputs, out?: Float32Array): Promise<Float32Array> {
    if (this.disposed) throw new NextframeError('disposed', 'BicubicUpsampler: upsample() after dispose(). Make a new one.');
    assertDisplayInputs(this, inputs, out, 'BicubicUpsampler.upsample');
    const started = performance.now();
    const display = bicubicUpsample(inputs.frame, this.width, this.height, this.scale, out);
    this.lastMs = performance.now() - started;
    return display;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
  }
}
