import { describe, expect, it } from 'vitest';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import { BicubicUpsampler } from '../../worldmodel/BicubicUpsampler.ts';
import { NextframeError } from '../../worldmodel/errors.ts';
import { errorOf } from '../support/errorOf.ts';

const W = 6;
const H = 4;
const inputs = (scale: number) => ({
  frame: Float32Array.from({ length: 3 * W * H }, (_, i) => Math.sin(i * 0.9)),
  memory: new Float32Array(4 * W * H * scale * scale),
  depth: new Float32Array(W * H),
});

describe('BicubicUpsampler', () => {
  it('is bicubicUpsample of the frame, memory and depth unread, into out when given', async () => {
    const up = new BicubicUpsampler({ width: W, height: H });
    expect([up.kind, up.scale, up.width, up.height]).toEqual(['bicubic', 4, W, H]);
    const given = inputs(4);
    const display = await up.upsample(given);
    expect(Array.from(display)).toEqual(Array.from(bicubicUpsample(given.frame, W, H, 4)));
    // Memory and depth do not matter.
    given.memory.fill(0.7);
    given.depth.fill(-1);
    const out = new Float32Array(3 * W * H * 16);
    const started = performance.now();
    expect(await up.upsample(given, out)).toBe(out);
    const wallMs = performance.now() - started;
    expect(Array.from(out)).toEqual(Array.from(display));
    expect(up.lastMs).toBeLessThanOrEqual(wallMs);
    await up.dispose();
  });

  it('times each upsampling', async () => {
    // 64 × 64 → 256 × 256 takes well over the clock's resolution, so a frame left untimed shows as 0.
    const up = new BicubicUpsampler({ width: 64, height: 64 });
    const started = performance.now();
    await up.upsample({ frame: new Float32Array(3 * 64 * 64).fill(0.25), memory: new Float32Array(4 * 256 * 256), depth: new Float32Array(64 * 64) });
    const wallMs = performance.now() - started;
    expect(up.lastMs).toBeGreaterThan(0);
    expect(up.lastMs).toBeLessThanOrEqual(wallMs);
    await up.dispose();
  });

  it('takes other scales', async () => {
    const up = new BicubicUpsampler({ width: W, height: H, scale: 2 });
    expect((await up.upsample(inputs(2))).length).toBe(3 * W * H * 4);
    await up.dispose();
  });

  it('says what it expected of its options and inputs, and refuses use after dispose', async () => {
    for (const bad of [{ width: 0, height: H }, { width: W, height: 2.5 }, { width: W, height: H, scale: 0 }, { width: W, height: H, scale: 17 }]) {
      expect(() => new BicubicUpsampler(bad)).toThrow(NextframeError);
    }
    const up = new BicubicUpsampler({ width: W, height: H });
    const wrong = { ...inputs(4), memory: new Float32Array(4 * W * H), depth: new Float32Array(3) };
    const error = await errorOf(up.upsample(wrong));
    expect(error.code).toBe('bad-frame');
    // One error names every input that does not fit, with the size expected.
    expect(error.message).toMatch(/^BicubicUpsampler\.upsample: .*\n.*memory: expected a Float32Array of 1536 values.*\n.*depth: expected a Float32Array of 24 values.*found Float32Array\(3\)/);
    expect((await errorOf(up.upsample(inputs(4), new Float32Array(5)))).message).toMatch(/out: expected a Float32Array of 1152 values/);
    await up.dispose();
    expect((await errorOf(up.upsample(inputs(4)))).code).toBe('disposed');
  });
});
