import { normaliseDepth, type Conditioning } from './Conditioning.ts';
import type { DisplayInputs, DisplayUpsampler } from './DisplayUpsampler.ts';
import { describeValue, NextframeError } from './errors.ts';
import type { ModelManifest } from './manifestSchema.ts';
import type { MemoryChannel, SpatialMemory, SpatialMemoryOptions } from './SpatialMemory.ts';

/**
 * One world model's display frames (`WorldModelOptions.display`): after the model paints a frame,
 * and before the frame is remembered, the upsampler gets memory's display render of the frame's
 * view and the frame's depth stream, and paints `last`. Each model (each fork) has its own painter,
 * buffers reused every frame, around the upsampler they share.
 */
export class DisplayPainter {
  readonly upsampler: DisplayUpsampler;
  /** The display frame of the last frame painted (3·sH·sW, CHW in [−1, 1]; one buffer), or null. */
  last: Float32Array | null = null;
  /** Milliseconds the last display frame took: memory's display render and the upsampling. */
  lastMs = 0;
  private readonly out: Float32Array;
  /** The upsampler's inputs: memory and depth buffers of our own; `frame` set per call. */
  private readonly inputs: DisplayInputs;
  private readonly far: number;
  /** The upsampler's `copyMemoryAt`, read once, and per display pixel 1 where memory's score reached it (then memory is shown). */
  private readonly copyAt: number | undefined;
  private readonly copy: Uint8Array | null;

  /** Throws `bad-options` unless `upsampler` takes `manifest`'s frames at the memory's display scale. */
  constructor(upsampler: DisplayUpsampler, manifest: ModelManifest, memory: Partial<SpatialMemoryOptions> = {}) {
    const { width, height } = manifest.resolution;
    if (typeof upsampler !== 'object' || upsampler === null || typeof upsampler.upsample !== 'function') {
      throw new NextframeError('bad-options', `WorldModel: options.display must be a DisplayUpsampler (BicubicUpsampler, LearnedUpsampler), found ${describeValue(upsampler)}.`);
    }
    if (upsampler.width !== width || upsampler.height !== height) {
      throw new NextframeError('bad-options', `WorldModel: the display upsampler takes ${upsampler.width} × ${upsampler.height} frames, model "${manifest.id}" paints ${width} × ${height}; use an upsampler made for this model's size.`);
    }
    if (memory.displayScale !== undefined && memory.displayScale !== upsampler.scale) {
      throw new NextframeError('bad-options', `WorldModel: memory.displayScale is ${memory.displayScale} but the display upsampler's scale is ${upsampler.scale}; leave memory.displayScale out (the upsampler sets it).`);
    }
    this.upsampler = upsampler;
    this.far = upsampler.far ?? manifest.camera.far;
    const n = width * height;
    const nd = n * upsampler.scale * upsampler.scale;
    this.out = new Float32Array(3 * nd);
    this.inputs = { frame: new Float32Array(0), memory: new Float32Array(4 * nd), depth: new Float32Array(n) };
    this.copyAt = upsampler.copyMemoryAt;
    this.copy = this.copyAt === undefined ? null : new Uint8Array(nd);
  }

  /**
   * The display frame of `frame`, just painted with `conditioning`, into `last`. `memory`: the
   * memory that made the model's memory stream (null: none did, e.g. no memory stream or memory
   * off); the upsampler sees it rendered for the view, all uncovered without a view or when a raw
   * memory stream was given. Depth: the raw stream given, else the view's normalised with the
   * upsampler's far (else the model's), else 1 (as far as the camera sees). Where the upsampler has
   * `copyMemoryAt` and memory's score reaches it, `last` is memory's render there. `last` is null
   * while the upsampler runs, and stays null if it fails.
   */
  async paint(frame: Float32Array, conditioning: Conditioning, memory: SpatialMemory | null): Promise<void> {
    this.last = null;
    const started = performance.now();
    const { inputs } = this;
    const view = conditioning.view;
    inputs.frame = frame;
    const channel = this.upsampler.memoryChannel ?? 'coverage';
    const remembered = memory !== null && view !== undefined && !conditioning.memory;
    if (remembered) memory.renderDisplay(view.pose, view.depth, inputs.memory, this.copy ? 'confidence' : channel);
    else inputs.memory.fill(0);
    const copying = remembered && this.copy !== null && this.markCopies(channel);
    if (conditioning.depth) inputs.depth.set(conditioning.depth);
    else if (view) normaliseDepth(view.depth, this.far, inputs.depth);
    else inputs.depth.fill(1);
    const display = await this.upsampler.upsample(inputs, this.out);
    if (copying) {
      const copy = this.copy!;
      const mem = inputs.memory;
      const nd = copy.length;
      for (let p = 0; p < nd; p++) {
        if (copy[p] === 0) continue;
        display[p] = mem[p]!;
        display[nd + p] = mem[nd + p]!;
        display[2 * nd + p] = mem[2 * nd + p]!;
      }
    }
    this.last = display;
    this.lastMs = performance.now() - started;
  }

  /**
   * From a confidence render in `inputs.memory`: mark the pixels whose score reaches
   * `copyMemoryAt`, and turn the fourth channel into what the upsampler takes. True if any is marked.
   */
  private markCopies(channel: MemoryChannel): boolean {
    const copy = this.copy!;
    const at = this.copyAt!;
    const scores = this.inputs.memory.subarray(3 * copy.length);
    let marked = 0;
    for (let p = 0; p < copy.length; p++) {
      const hit = scores[p]! >= at ? 1 : 0;
      copy[p] = hit;
      marked += hit;
    }
    if (channel === 'coverage') for (let p = 0; p < scores.length; p++) scores[p] = scores[p]! > 0 ? 1 : 0;
    return marked > 0;
  }
}

/**
 * Check the display frames given to `WorldModel.reset`: at most one per frame, each the display
 * size `memory` keeps (`bad-frames` otherwise). Without a memory they are not used, as views are not.
 */
export function assertResetDisplays(displays: readonly (Uint8Array | Float32Array)[], frames: number, memory: SpatialMemory | null, modelId: string): void {
  if (!Array.isArray(displays) || displays.length > frames) {
    throw new NextframeError('bad-frames', `WorldModel.reset: displays must be an array of at most ${frames} display frames (one per frame, aligned to the newest), found ${describeValue(displays)}.`);
  }
  if (!memory || displays.length === 0) return;
  if (memory.options.displayScale === 1) {
    throw new NextframeError('bad-frames', `WorldModel.reset: display frames were given, but model "${modelId}" keeps none; load it with { display: upsampler } (or memory: { displayScale }) to keep them, or leave displays out.`);
  }
  const { width: wd, height: hd } = memory.displaySize;
  displays.forEach((display, i) => {
    if (!(display instanceof Uint8Array || display instanceof Float32Array) || display.length !== 3 * wd * hd) {
      throw new NextframeError('bad-frames', `WorldModel.reset: display ${i} must be ${wd} × ${hd} (uint8 RGB HWC or float32 CHW in [−1, 1], ${3 * wd * hd} values), found ${describeValue(display)}.`);
    }
  });
}
