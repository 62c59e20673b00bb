import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BicubicUpsampler, LearnedUpsampler, NextframeError, type DisplayUpsampler, type LearnedUpsamplerOptions, type ModelManifest } from '../../../worldmodel/index.ts';

export interface ChosenUpsampler {
  upsampler: DisplayUpsampler;
  /** `bicubic`, or the folder the learned upsampler came from. */
  source: string;
  /** Said on stderr and in the report when the default fell back to bicubic; otherwise null. */
  note: string | null;
}

/**
 * Where `--upsampler` looks when it is not given: the folder `upsampler/` beside the model's, as
 * the plug-in's `display: 'auto'` does (`public/models/arena` → `public/models/upsampler`).
 */
export function defaultUpsamplerFolder(modelDir: string): string {
  return join(dirname(resolve(modelDir)), 'upsampler');
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
 * The display upsampler of `--upsampler` for the model in `modelDir`: `bicubic`, a learned
 * upsampler's folder, or (not given) `defaultUpsamplerFolder` when it holds one that fits, else
 * bicubic with a note saying why. A learned one must paint `scale`× frames of the model's size
 * and normalise depth with its far plane; one named by the flag that does not is refused. It
 * runs with `session` (default WASM).
 */
export async function loadUpsampler(choice: string | undefined, modelDir: string, manifest: ModelManifest, scale: number, session: LearnedUpsamplerOptions = { device: 'wasm' }): Promise<ChosenUpsampler> {
  const { width, height } = manifest.resolution;
  const bicubic = (note: string | null): ChosenUpsampler => ({ upsampler: new BicubicUpsampler({ width, height, scale }), source: 'bicubic', note });
  if (choice === 'bicubic') return bicubic(null);
  const folder = choice ?? defaultUpsamplerFolder(modelDir);
  const fallback = `the display frames are the model's frames enlarged bicubically (pass --upsampler <folder> for a learned one)`;
  if (!existsSync(join(folder, 'manifest.json'))) {
    if (choice === undefined) return bicubic(`no learned upsampler at ${folder}: ${fallback}`);
    throw new NextframeError('bad-argument', `--upsampler: no upsampler at ${folder} (no manifest.json); pass a folder holding manifest.json and model.onnx (kind "upsampler"), or bicubic.`);
  }
  const upsampler = await LearnedUpsampler.load(folder, session);
  const misfit = [
    ...(upsampler.scale !== scale || upsampler.width !== width || upsampler.height !== height ? [`it paints ${upsampler.width}×${upsampler.height} frames ${upsampler.scale}× larger; this model needs ${width}×${height} frames ${scale}× larger (--display ${width * scale})`] : []),
    ...(upsampler.far !== manifest.camera.far ? [`it normalises depth with far ${upsampler.far} m, the model with ${manifest.camera.far} m`] : []),
  ];
  if (misfit.length === 0) return { upsampler, source: folder, note: null };
  await upsampler.dispose();
  if (choice === undefined) return bicubic(`the upsampler at ${folder} does not fit model "${manifest.id}" (${misfit.join('; ')}): ${fallback}`);
  throw new NextframeError('bad-argument', `--upsampler: ${folder} does not fit model "${manifest.id}": ${misfit.join('; ')}. Pass another --display or upsampler.`);
}
