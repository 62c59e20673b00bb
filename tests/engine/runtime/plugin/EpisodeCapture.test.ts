import { describe, expect, it } from 'vitest';
import { untarFiles } from '../../../../worldmodel/dataset/episodeArchive.ts';
import { EpisodeCapture } from '../../../../engine/runtime/plugin/EpisodeCapture.ts';
import { checkEpisode } from '../../../../worldmodel/dataset/episode.ts';
import { float16ToFloat32, parseNpy } from '../../../../worldmodel/dataset/npy.ts';

const W = 4;
const H = 2;
const capture = (maxTicks?: number) =>
  new EpisodeCapture({ width: W, height: H, tickHz: 20, camera: { fovYDegrees: 70, near: 0.05, far: 60 }, scene: { id: 'mine', hash: '0123456789abcdef' }, seed: 42, ...(maxTicks ? { maxTicks } : {}) });

describe('EpisodeCapture', () => {
  it('keeps ticks in the dataset format: bytes from [−1, 1] frames, float16 depth, the first action zero', () => {
    const c = capture();
    const frame = new Float32Array(3 * W * H).fill(-1);
    frame[0] = 1; // red of the top-left pixel
    frame[W * H + 1] = 0; // green of the next pixel: mid grey level
    const depth = new Float32Array(W * H).fill(2.5);
    c.add(frame, depth, { x: 1, y: 1.6, z: 2, yaw: 0.5, pitch: 0 }, [9, 9, 9, 9, 9, 9, 9]);
    c.add(frame, depth, { x: 1, y: 1.6, z: 1.8, yaw: 0.5, pitch: 0 }, [0.2, 0, 0, 0, 0, 1, 0]);
    const episode = c.episode();
    expect(episode.meta).toMatchObject({ scene: 'mine', sceneHash: '0123456789abcdef', seed: 42, policy: 'human', eyeHeight: 1.6, ticks: 2, resolution: { width: W, height: H }, camera: { aspect: 2 } });
    expect(episode.frames[0]).toBe(255);
    expect(episode.frames[1]).toBe(0);
    expect(episode.frames[4]).toBe(128); // (0 + 1) × 127.5 rounds to 128
    expect(float16ToFloat32(episode.depth[5]!)).toBe(2.5);
    expect(Array.from(episode.actions.subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(episode.actions[7]).toBeCloseTo(0.2, 6);
    expect(Array.from(episode.poses.subarray(5, 10))).toEqual([1, Math.fround(1.6), Math.fround(1.8), 0.5, 0]);
  });

  it("writes the player's eye height it is given into the meta", () => {
    const c = new EpisodeCapture({ width: W, height: H, tickHz: 20, eyeHeight: 0.9, camera: { fovYDegrees: 70, near: 0.05, far: 60 }, scene: { id: 'mine' }, seed: 1 });
    for (let t = 0; t < 2; t++) c.add(new Float32Array(3 * W * H), new Float32Array(W * H).fill(1), { x: t, y: 0.9, z: 0, yaw: 0, pitch: 0 }, [0, 0, 0, 0, 0, 0, 0]);
    expect(c.episode().meta.eyeHeight).toBe(0.9);
  });

  it('tars an episode folder that parses and passes the checker', () => {
    const c = capture();
    for (let t = 0; t < 3; t++) c.add(new Float32Array(3 * W * H), new Float32Array(W * H).fill(1), { x: t, y: 1.6, z: 0, yaw: 0, pitch: 0 }, [0, 0, 0, 0, 0, 0, 0]);
    const files = untarFiles(c.tar());
    expect(files.map((f) => f.name)).toEqual(['episode-000042/frames.npy', 'episode-000042/depth.npy', 'episode-000042/poses.npy', 'episode-000042/actions.npy', 'episode-000042/meta.json']);
    const get = (name: string) => files.find((f) => f.name.endsWith(name))!.bytes;
    const verdict = checkEpisode({
      meta: JSON.parse(new TextDecoder().decode(get('meta.json'))),
      frames: parseNpy(get('frames.npy')),
      depth: parseNpy(get('depth.npy')),
      poses: parseNpy(get('poses.npy')),
      actions: parseNpy(get('actions.npy')),
    });
    expect(verdict).toEqual({ ok: true });
  });

  it('stops at maxTicks and refuses an episode of one tick', () => {
    const c = capture(2);
    const f = new Float32Array(3 * W * H);
    const d = new Float32Array(W * H);
    const pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
    expect(() => (c.add(f, d, pose, []), c.episode())).toThrow(/needs at least 2 ticks/);
    expect(c.add(f, d, pose, [])).toBe(true);
    expect(c.full).toBe(true);
    expect(c.add(f, d, pose, [])).toBe(false);
    expect(() => c.add(new Float32Array(3), d, pose, [])).not.toThrow(); // full: ignored, not checked
    expect(() => capture().add(new Float32Array(3), d, pose, [])).toThrow(/expected a 3×2×4 frame and 2×4 depth, found 3 and 8 values/);
  });
});
