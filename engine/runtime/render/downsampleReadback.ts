import { boxDownsample } from '../../../worldmodel/dataset/boxDownsample.ts';

/**
 * A WebGL read-back (RGBA, rows bottom-up, rendered at `supersample`× the size) → HWC RGB
 * bytes at `width`×`height`, rows top-down, each pixel the rounded box average of its
 * supersample×supersample block (the same filter as `boxDownsampleRgb`). `TruthCapture`, the one
 * ground-truth render (training frames, the sandbox's ground truth, the plug-in's truth frames),
 * ends with it.
 */
export function downsampleReadback(rgba: Uint8Array, width: number, height: number, supersample: number, out: Uint8Array): Uint8Array {
  return boxDownsample(rgba, 4, true, width, height, supersample, out);
}
