import { describeValue, NextframeError } from './errors.ts';
import type { SessionFactory } from './ModelSession.ts';
import type { Backend } from './OrtSession.ts';
import type { MemoryChannel } from './SpatialMemory.ts';

/** What one display frame is made from: the model's frame and what was known about its view. */
export interface DisplayInputs {
  /** 3·H·W, CHW in [−1, 1]: the model's frame. */
  frame: Float32Array;
  /**
   * 4·(sH)·(sW): `SpatialMemory.renderDisplay` of the frame's view (before the frame itself is
   * remembered): RGB in [−1, 1] (0 where uncovered), then the upsampler's `memoryChannel`:
   * coverage in {0, 1}, or memory's confidence in [0, 1].
   */
  memory: Float32Array;
  /**
   * H·W proxy depth normalised as the model's depth stream: clamp(d / far, 0, 1)·2 − 1
   * (`normaliseDepth`), with the upsampler's `far` when it has one, else the model's camera far.
   */
  depth: Float32Array;
}

/**
 * Makes the frame shown on screen, `scale` times the model's frame per side: `BicubicUpsampler`
 * (the frame alone, the Catmull-Rom filter) or `LearnedUpsampler` (a network that also sees the
 * memory of the view at display resolution and the proxy depth). A world model with
 * `WorldModelOptions.display` runs one after every frame it paints.
 */
export interface DisplayUpsampler {
  readonly kind: 'bicubic' | 'learned';
  /** Display frames are this many times the model's frame per side. */
  readonly scale: number;
  /** The model frame size it takes. */
  readonly width: number;
  readonly height: number;
  /** Milliseconds the last `upsample` took. */
  lastMs: number;
  /**
   * The display frame: 3·(sH)·(sW), CHW in [−1, 1], into `out` when given. The inputs are read
   * until the promise settles: do not overwrite them before.
   */
  upsample(inputs: DisplayInputs, out?: Float32Array): Promise<Float32Array>;
  /** Release what it holds (a learned upsampler's ONNX session). It cannot be used afterwards. */
  dispose(): Promise<void>;
  /** What the fourth channel of its memory input holds (a learned upsampler's manifest says); absent: coverage. */
  readonly memoryChannel?: MemoryChannel;
  /** Where memory's score is at least this, `DisplayPainter` shows memory's render instead of the upsampler's (a learned upsampler's manifest `copyMemoryAt`); absent: never. */
  readonly copyMemoryAt?: number | undefined;
  /** The camera far its depth input is normalised with (a learned upsampler's training camera); absent: the model's. */
  readonly far?: number;
  /** Where a learned upsampler's network runs. */
  readonly backend?: Backend;
  /** Why a learned upsampler's device (or worker) is gone, or null; once gone every call fails with `device-lost`. */
  readonly deviceLost?: string | null;
  /** Make a learned upsampler's session again on WASM; `WorldModel.switchToWasm` calls it when the device was lost. */
  switchToWasm?(createSession?: SessionFactory): Promise<void>;
}

/**
 * Throw `bad-frame` unless `inputs` and `out` have the sizes `upsampler` takes; one error lists
 * every mismatch. `where` names the caller (`BicubicUpsampler.upsample`).
 */
export function assertDisplayInputs(upsampler: Pick<DisplayUpsampler, 'scale' | 'width' | 'height'>, inputs: DisplayInputs, out: Float32Array | undefined, where: string): void {
  const { width: w, height: h, scale: s } = upsampler;
  const n = w * h;
  const nd = n * s * s;
  if (typeof inputs !== 'object' || inputs === null) {
    throw new NextframeError('bad-frame', `${where}: expected { frame, memory, depth }, found ${describeValue(inputs)}.`);
  }
  const problems: string[] = [];
  const want = (value: unknown, size: number, name: string, layout: string): void => {
    if (!(value instanceof Float32Array) || value.length !== size) problems.push(`${name}: expected a Float32Array of ${size} values (${layout}), found ${describeValue(value)}`);
  };
  want(inputs.frame, 3 * n, 'frame', `3·${h}·${w}, CHW in [−1, 1]`);
  want(inputs.memory, 4 * nd, 'memory', `4·${h * s}·${w * s}: SpatialMemory.renderDisplay of the view`);
  want(inputs.depth, n, 'depth', `${h}·${w} normalised proxy depth`);
  if (out !== undefined) want(out, 3 * nd, 'out', `3·${h * s}·${w * s}, CHW`);
  if (problems.length > 0) {
    throw new NextframeError('bad-frame', `${where}: the inputs do not fit a ${w} × ${h} model frame shown ${s}× larger:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
