import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEpisodeFiles } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { recordDataset, type RecordOptions } from '../../../../engine/capture/recorder/recordDataset.ts';
import { recordReplays } from '../../../../engine/capture/recorder/recordReplays.ts';
import { checkEpisode, episodeMetaSchema } from '../../../../worldmodel/dataset/episode.ts';
import { errorOf } from '../../../support/errorOf.ts';

// Real headless Chromium, kept short: one arena episode of a few ticks per run.
const poses = (dir: string) => Array.from(readEpisodeFiles(dir).files.poses!.data as Float32Array);

describe('recordDataset eyeHeight', () => {
  it('records the player with its eyes at eyeHeight, writes it to the meta, and re-records an episode of another eye height', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-eye-'));
    const dir = join(out, 'episode-000003');
    const options: RecordOptions = { out, episodes: 1, ticks: 8, seedStart: 3, policy: 'explore', chunkTicks: 4 };
    try {
      const low = await recordDataset({ ...options, eyeHeight: 1.0 });
      expect(low).toMatchObject({ written: 1, kept: 0, replaced: 0, refused: [] });
      const { files } = readEpisodeFiles(dir);
      expect(checkEpisode(files)).toEqual({ ok: true });
      expect(episodeMetaSchema.parse(files.meta).eyeHeight).toBe(1.0);
      const lowPoses = poses(dir);

      // The default eye height is another request: the episode on disk is recorded again.
      const tall = await recordDataset(options);
      expect(tall).toMatchObject({ written: 1, kept: 0, replaced: 1, refused: [] });
      const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
      expect(meta.eyeHeight).toBe(1.6);
      const tallPoses = poses(dir);
      // Same seed, same floor, same walk: x, z, yaw and pitch agree, the camera is 0.6 m lower.
      expect(lowPoses).toHaveLength(8 * 5);
      for (let i = 0; i < lowPoses.length; i++) {
        if (i % 5 === 1) expect(lowPoses[i]! - tallPoses[i]!).toBeCloseTo(-0.6, 4);
        else expect(lowPoses[i]).toBe(tallPoses[i]);
      }

      // An episode from before eyeHeight was recorded (no field) stood at 1.6: kept.
      delete meta.eyeHeight;
      writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta));
      expect(checkEpisode(readEpisodeFiles(dir).files)).toEqual({ ok: true });
      expect(await recordDataset({ ...options, eyeHeight: 1.6 })).toMatchObject({ written: 0, kept: 1, replaced: 0 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses an eye height outside (0.2, 10] metres before starting anything, saying what it expected', async () => {
    for (const eyeHeight of [0, 0.2, -1, 10.5, Number.NaN, Number.POSITIVE_INFINITY, '1.6' as unknown as number]) {
      const error = await errorOf(recordDataset({ out: join(tmpdir(), 'nextframe-eye-never'), episodes: 1, ticks: 4, eyeHeight }));
      expect(error.code, String(eyeHeight)).toBe('bad-options');
      expect(error.message).toMatch(/^record: eyeHeight must be a number of metres above the floor in \(0\.2, 10\] \(default 1\.6\), found /);
    }
    const replay = await errorOf(recordReplays({ out: join(tmpdir(), 'nextframe-eye-never'), replays: [], eyeHeight: 11 }));
    expect([replay.code, replay.message]).toEqual(['bad-options', 'recordReplays: eyeHeight must be a number of metres above the floor in (0.2, 10] (default 1.6), found 11.']);
  });
});

describe('recordDataset display', () => {
  it('stores the same views at display resolution, model frames their average, and re-records an episode of another display size', { timeout: 300_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-display-'));
    const dir = join(out, 'episode-000005');
    // 32 × 32 model frames, display 128 × 128 (f = 4), two page round trips per episode.
    const options: RecordOptions = { out, episodes: 1, ticks: 6, seedStart: 5, policy: 'explore', width: 32, height: 32, chunkTicks: 4 };
    const T = 6;
    try {
      expect(await recordDataset(options)).toMatchObject({ written: 1, display: null });
      expect(existsSync(join(dir, 'display.npy'))).toBe(false);
      const plain = readEpisodeFiles(dir).files;

      const shown = await recordDataset({ ...options, display: 128 });
      expect(shown).toMatchObject({ written: 1, kept: 0, replaced: 1, refused: [], display: { width: 128, height: 128 } });
      const { files, problems } = readEpisodeFiles(dir);
      expect(problems).toEqual([]);
      expect(checkEpisode(files)).toEqual({ ok: true });
      expect(episodeMetaSchema.parse(files.meta)).toMatchObject({ resolution: { width: 32, height: 32 }, display: { width: 128, height: 128 } });
      expect(files.display).toMatchObject({ dtype: 'uint8', shape: [T, 128, 128, 3] });
      expect(files.frames).toMatchObject({ dtype: 'uint8', shape: [T, 32, 32, 3] });
      expect(files.depth).toMatchObject({ dtype: 'float16', shape: [T, 32, 32] }); // depth stays at the model's resolution
      expect(poses(dir)).toEqual(Array.from(plain.poses!.data as Float32Array)); // the same walk

      // Each model frame is its display frame averaged over 4 × 4 blocks (computed here in floats): rounding only.
      const display = files.display!.data as Uint8Array;
      const frames = files.frames!.data as Uint8Array;
      let worst = 0;
      for (let t = 0; t < T; t++) {
        for (let y = 0; y < 32; y++) {
          for (let x = 0; x < 32; x++) {
            for (let c = 0; c < 3; c++) {
              let sum = 0;
              for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += display[((t * 128 + y * 4 + dy) * 128 + x * 4 + dx) * 3 + c]!;
              worst = Math.max(worst, Math.abs(sum / 16 - frames[((t * 32 + y) * 32 + x) * 3 + c]!));
            }
          }
        }
      }
      expect(worst).toBeLessThanOrEqual(0.5);
      // A real picture, the same views as the model-resolution render without display frames
      // (that one less anti-aliased: it differs along edges only), and not a blank one.
      expect(new Set(display.subarray(0, 128 * 128 * 3)).size).toBeGreaterThan(20);
      const before = plain.frames!.data as Uint8Array;
      let diff = 0;
      for (let i = 0; i < frames.length; i++) diff += Math.abs(frames[i]! - before[i]!);
      expect(diff / frames.length).toBeLessThan(4);

      // The same request keeps it; no display frames is another request again, and drops the file.
      expect(await recordDataset({ ...options, display: 128 })).toMatchObject({ written: 0, kept: 1, replaced: 0 });
      expect(await recordDataset(options)).toMatchObject({ written: 1, kept: 0, replaced: 1 });
      expect(existsSync(join(dir, 'display.npy'))).toBe(false);
      expect(checkEpisode(readEpisodeFiles(dir).files)).toEqual({ ok: true });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('refuses a display width that is not 2 to 16 times the model width, or too many display bytes per episode, before starting anything', async () => {
    const never = join(tmpdir(), 'nextframe-display-never');
    for (const display of [100, 64, 32, 2048, 256.5, Number.NaN, '256' as unknown as number]) {
      const error = await errorOf(recordDataset({ out: never, episodes: 1, ticks: 4, display }));
      expect(error.code, String(display)).toBe('bad-options');
      expect(error.message).toBe(`record: display must be a width in pixels that is 2 to 16 times the model's width 64 (e.g. 256), found ${String(display)}.`);
    }
    const long = await errorOf(recordDataset({ out: never, episodes: 1, ticks: 12000, display: 256 }));
    expect([long.code, long.message]).toEqual(['bad-options', 'record: display frames at 256×256 for 12000 ticks would be 2.4 GB per episode, held in memory until it is written; record at most 5461 ticks per episode with display frames, or a smaller display size.']);
    const replay = await errorOf(recordReplays({ out: never, replays: [], width: 48, height: 32, display: 120 }));
    expect([replay.code, replay.message]).toEqual(['bad-options', "recordReplays: display must be a width in pixels that is 2 to 16 times the model's width 48 (e.g. 192), found 120."]);
  });
});
