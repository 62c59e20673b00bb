import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultUpsamplerFolder, displayScale, loadUpsampler } from '../../../../engine/tools/cli/loadUpsampler.ts';
import { parseManifest } from '../../../../worldmodel/parseManifest.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-load-upsampler-'));
const streams = parseManifest(JSON.parse(readFileSync('tests/fixtures/tiny-streams/manifest.json', 'utf8'))); // 32 × 32, far 60
// A world model the tiny upsampler fits (16 × 16 frames shown 4× larger, far 60), and one with another far plane.
const small = { ...streams, id: 'small', resolution: { width: 16, height: 16 } };
const farther = { ...small, id: 'farther', camera: { ...small.camera, far: 80 } };
const model = join(dir, 'models', 'mine');
cpSync('tests/fixtures/tiny-upsampler', join(dir, 'models', 'upsampler'), { recursive: true });

describe('loadUpsampler', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('looks beside the model folder by default, as the plug-in does, and takes an upsampler that fits', async () => {
    expect(defaultUpsamplerFolder('public/models/arena')).toMatch(/\/public\/models\/upsampler$/);
    const chosen = await loadUpsampler(undefined, model, small, 4);
    expect(chosen).toMatchObject({ source: join(dir, 'models', 'upsampler'), note: null });
    expect([chosen.upsampler.kind, chosen.upsampler.scale, chosen.upsampler.width]).toEqual(['learned', 4, 16]);
    await chosen.upsampler.dispose();
  });

  it('falls back to bicubic with a note when there is none or it does not fit, and refuses a named one that does not fit', async () => {
    const none = await loadUpsampler(undefined, join(dir, 'elsewhere', 'mine'), streams, 4);
    expect(none.upsampler.kind).toBe('bicubic');
    expect(none.note).toMatch(/^no learned upsampler at .*elsewhere\/upsampler: the display frames are the model's frames enlarged bicubically/);
    const misfit = await loadUpsampler(undefined, model, streams, 4);
    expect(misfit.upsampler.kind).toBe('bicubic');
    expect(misfit.note).toMatch(/does not fit model "tiny-streams" \(it paints 16×16 frames 4× larger; this model needs 32×32 frames 4× larger \(--display 128\)\)/);
    await expect(loadUpsampler(join(dir, 'models', 'upsampler'), model, farther, 4)).rejects.toThrow(/does not fit model "farther": it normalises depth with far 60 m, the model with 80 m/);
    await expect(loadUpsampler(join(dir, 'models', 'upsampler'), model, small, 2)).rejects.toThrow(/this model needs 16×16 frames 2× larger \(--display 32\)/);
    const bicubic = await loadUpsampler('bicubic', model, small, 4);
    expect([bicubic.upsampler.kind, bicubic.source, bicubic.note]).toEqual(['bicubic', 'bicubic', null]);
  });

  it('takes --display as the model width times an integer ≥ 2', () => {
    expect(displayScale('256', 64)).toBe(4);
    for (const bad of ['64', '100', 'big', '-128']) expect(() => displayScale(bad, 64)).toThrow(/--display must be the model width 64 times an integer ≥ 2 \(e\.g\. 256\)/);
  });
});
