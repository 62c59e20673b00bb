import { describe, expect, it } from 'vitest';
import { checkEpisode, episodeDirName, episodeMeta, type EpisodeFiles } from '../../../worldmodel/dataset/episode.ts';
import { toFloat16Array, type NpyArray } from '../../../worldmodel/dataset/npy.ts';
import { syntheticEpisode, withDisplay } from '../../engine/capture/dataset/syntheticEpisode.ts';

function files(): EpisodeFiles {
  const e = syntheticEpisode(3, 4, 8);
  const npy = (dtype: NpyArray['dtype'], shape: number[], data: NpyArray['data']): NpyArray => ({ dtype, shape, data });
  return {
    meta: JSON.parse(JSON.stringify(e.meta)),
    frames: npy('uint8', [4, 8, 8, 3], e.frames),
    depth: npy('float16', [4, 8, 8], e.depth),
    poses: npy('float32', [4, 5], e.poses),
    actions: npy('float32', [4, 7], e.actions),
  };
}

const reasonsOf = (f: EpisodeFiles): string[] => {
  const verdict = checkEpisode(f);
  return verdict.ok ? [] : verdict.reasons;
};

describe('checkEpisode', () => {
  it('accepts a valid episode', () => {
    expect(checkEpisode(files())).toEqual({ ok: true });
  });

  it("keeps the player's eye height in metres; episodes without it (recorded before) stay valid", () => {
    expect(episodeMeta('arena', 1, 'wander', 4, 8, 8, 20).eyeHeight).toBe(1.6);
    expect(episodeMeta('arena', 1, 'wander', 4, 8, 8, 20, 1.1).eyeHeight).toBe(1.1);
    const f = files();
    (f.meta as { eyeHeight?: number }).eyeHeight = 1.1;
    expect(checkEpisode(f)).toEqual({ ok: true });
    delete (f.meta as { eyeHeight?: number }).eyeHeight;
    expect(checkEpisode(f)).toEqual({ ok: true });
    for (const bad of [0, -1, Number.POSITIVE_INFINITY, '1.6']) {
      (f.meta as { eyeHeight?: unknown }).eyeHeight = bad;
      expect(reasonsOf(f).some((r) => r.startsWith('meta.json is invalid: eyeHeight')), String(bad)).toBe(true);
    }
  });

  it('names episode folders by padded seed', () => {
    expect(episodeDirName(42)).toBe('episode-000042');
    expect(episodeDirName(100000)).toBe('episode-100000');
  });

  it('refuses missing files and bad meta, listing every reason', () => {
    const f = files();
    delete f.depth;
    (f.meta as { ticks: number }).ticks = 0;
    const reasons = reasonsOf(f);
    expect(reasons.some((r) => r.includes('depth.npy is missing'))).toBe(true);
    expect(reasons.some((r) => r.startsWith('meta.json is invalid: ticks'))).toBe(true);
    expect(reasonsOf({ ...files(), meta: undefined })).toContain('meta.json is missing');
  });

  it('refuses wrong shapes and dtypes', () => {
    const f = files();
    f.frames = { ...f.frames!, shape: [4, 8, 8, 4] };
    f.poses = { dtype: 'float16', shape: [4, 5], data: new Uint16Array(20) };
    const reasons = reasonsOf(f);
    expect(reasons).toContain('frames.npy: expected shape [4, 8, 8, 3], found [4, 8, 8, 4]');
    expect(reasons).toContain('poses.npy: expected dtype float32, found float16');
    const short = files();
    short.actions = { dtype: 'float32', shape: [3, 7], data: new Float32Array(21) };
    expect(reasonsOf(short)).toContain('actions.npy: expected shape [4, 7], found [3, 7]');
  });

  it('refuses NaN, out-of-range depth, a non-zero first action and bad buttons', () => {
    const f = files();
    (f.poses!.data as Float32Array)[6] = Number.NaN;
    (f.depth!.data as Uint16Array).set(toFloat16Array([-1, 80, Number.NaN]), 0);
    (f.actions!.data as Float32Array)[2] = 0.1; // actions[0].up
    (f.actions!.data as Float32Array)[7 + 6] = 0.5; // actions[1].interact
    (f.actions!.data as Float32Array)[14 + 3] = 9; // actions[2].yaw, far beyond the scale
    const reasons = reasonsOf(f);
    expect(reasons).toContain('poses.npy: 1 values are NaN or infinite');
    expect(reasons).toContain('depth.npy: 3 values are NaN, infinite or outside [0, 60] metres');
    expect(reasons.some((r) => r.startsWith('actions.npy: actions[0] must be all zeros'))).toBe(true);
    expect(reasons).toContain('actions.npy: slot "interact" has 1 values other than 0 or 1');
    expect(reasons).toContain('actions.npy: slot "yaw" has 1 values beyond ±2.5 rad/tick');
  });

  describe('display frames (display.npy)', () => {
    // 4 ticks of 8×8 frames with display frames at 32×32 (f = 4), each model pixel a 4×4 block.
    const displayed = (): EpisodeFiles => {
      const e = withDisplay(syntheticEpisode(3, 4, 8), 4);
      return { ...files(), meta: JSON.parse(JSON.stringify(e.meta)), display: { dtype: 'uint8', shape: [4, 32, 32, 3], data: e.display! } };
    };

    it('accepts an episode with display frames of the meta\'s size; one without them stays valid', () => {
      expect(checkEpisode(displayed())).toEqual({ ok: true });
      expect(checkEpisode(files())).toEqual({ ok: true });
      expect(episodeMeta('arena', 1, 'wander', 4, 64, 48, 20, 1.6, { width: 256, height: 192 }).display).toEqual({ width: 256, height: 192 });
      expect('display' in episodeMeta('arena', 1, 'wander', 4, 64, 48, 20)).toBe(false);
    });

    it('refuses display frames of the wrong shape or dtype, missing ones, and ones the meta does not announce', () => {
      const wrong = displayed();
      wrong.display = { dtype: 'uint8', shape: [4, 32, 16, 3], data: new Uint8Array(4 * 32 * 16 * 3) };
      expect(reasonsOf(wrong)).toEqual(['display.npy: expected shape [4, 32, 32, 3], found [4, 32, 16, 3]']);
      const float = displayed();
      float.display = { dtype: 'float32', shape: [4, 32, 32, 3], data: new Float32Array(4 * 32 * 32 * 3) };
      expect(reasonsOf(float)).toEqual(['display.npy: expected dtype uint8, found float32']);
      const missing = displayed();
      delete missing.display;
      expect(reasonsOf(missing)).toEqual(['display.npy is missing']);
      const unannounced = displayed();
      delete (unannounced.meta as { display?: unknown }).display;
      expect(reasonsOf(unannounced)).toEqual(['display.npy is present but meta.json has no display size; record the episode again (record --display) or delete display.npy']);
    });

    it('refuses a display size that is not one integer multiple ≥ 2 of the resolution', () => {
      for (const [width, height] of [[12, 12], [8, 8], [32, 16], [24, 32]] as const) {
        const f = displayed();
        (f.meta as { display: object }).display = { width, height };
        expect(reasonsOf(f), `${width}×${height}`).toEqual([`meta.json: display ${width}×${height} must be the resolution 8×8 times one integer ≥ 2 on both sides (e.g. 32×32)`]);
      }
      const f = displayed();
      (f.meta as { display: object }).display = { width: 0, height: 32 };
      expect(reasonsOf(f).some((r) => r.startsWith('meta.json is invalid: display.width'))).toBe(true);
    });

    it('refuses display frames that are not the views of frames.npy (flipped upside down)', () => {
      const f = displayed();
      const data = f.display!.data as Uint8Array;
      const row = 32 * 3;
      const flipped = new Uint8Array(data.length);
      for (let t = 0; t < 4; t++) for (let y = 0; y < 32; y++) flipped.set(data.subarray((t * 32 + y) * row, (t * 32 + y + 1) * row), (t * 32 + 31 - y) * row);
      f.display = { ...f.display!, data: flipped };
      const reasons = reasonsOf(f);
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toMatch(/^display\.npy: averaged down to 8×8 it differs from frames\.npy by \d+\.\d levels \(mean absolute, worst sampled tick; expected ≤ 2\): not the same views$/);
      // Rounding-sized differences pass: one level off everywhere.
      const near = displayed();
      const bumped = Uint8Array.from(near.display!.data as Uint8Array, (v) => Math.min(255, v + 1));
      near.display = { ...near.display!, data: bumped };
      expect(checkEpisode(near)).toEqual({ ok: true });
    });
  });
});
