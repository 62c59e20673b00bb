import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BicubicUpsampler, LearnedUpsampler, NextframeError, type DisplayUpsampler, type LearnedUpsamplerOptions } from '../../../worldmodel/index.ts';
import { repoRoot } from './setup.mjs';

/** Where `--upsampler` looks when it is not given: the shipped learned upsampler, when there is one. */
export const DEFAULT_UPSAMPLER = join(repoRoot, 'public/models/upsampler');

export interface ChosenUpsampler {
  upsampler: DisplayUpsampler;
  /** `bicubic`, or the folder the learned upsampler came from. */
  source: string;
  /** Said on stderr and in the report when the default fell back to bicubic; otherwise null. */
  note: string | null;
}

/**
 * `--display <px>` as a scale: the display width over the model's, an integer ≥ 2 that also
 * fits the height. Errors name the flag and the sizes that would do.
 */
export function displayScale(text: string, width: number): number {
  const px = Number(text);
  const scale = px / width;
  if (!Number.isInteger(px) || !Number.isInteger(scale) || scale < 2) {
    throw new NextframeError('bad-argument', `--display must be the model width ${width} times an integer ≥ 2 (e.g. ${width * 4}), found "${text}".`);
  }
  return scale;
}

/**
 * The display upsampler of `--upsampler`: `bicubic`, a learned upsampler's folder, or (not
 * given) DEFAULT_UPSAMPLER when it exists, else bicubic with a note saying so. Refuses one that
 * does not paint `scale`× frames of a `width` × `height` model. A learned one runs with
 * `session` (default WASM).
 */
export async function loadUpsampler(choice: string | undefined, width: number, height: number, scale: number, session: LearnedUpsamplerOptions = { device: 'wasm' }): Promise<ChosenUpsampler> {
  let folder = choice;
  let note: string | null = null;
  if (choice === undefined) {
    if (existsSync(join(DEFAULT_UPSAMPLER, 'manifest.json'))) folder = DEFAULT_UPSAMPLER;
    else note = `no learned upsampler at ${DEFAULT_UPSAMPLER}: the display frames are the model's frames enlarged bicubically (pass --upsampler <folder> for a learned one)`;
  }
  if (folder === undefined || folder === 'bicubic') {
    return { upsampler: new BicubicUpsampler({ width, height, scale }), source: 'bicubic', note };
  }
  if (!existsSync(folder)) throw new NextframeError('bad-argument', `--upsampler: no upsampler folder at ${folder}; pass a folder holding manifest.json and model.onnx (kind "upsampler"), or bicubic.`);
  const upsampler = await LearnedUpsampler.load(folder, session);
  if (upsampler.scale !== scale || upsampler.width !== width || upsampler.height !== height) {
    const found = `${upsampler.width}×${upsampler.height} frames ${upsampler.scale}× larger`;
    await upsampler.dispose();
    throw new NextframeError('bad-argument', `--upsampler: ${folder} paints ${found}; this model needs ${width}×${height} frames ${scale}× larger (--display ${width * scale}). Pass another --display or upsampler.`);
  }
  return { upsampler, source: folder, note };
}
