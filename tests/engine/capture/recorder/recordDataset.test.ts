import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
