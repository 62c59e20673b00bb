import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readEpisodeFiles } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { checkEpisode, episodeMetaSchema } from '../../../../worldmodel/dataset/episode.ts';
import { float16ToFloat32 } from '../../../../worldmodel/dataset/npy.ts';
import { writeEpisode } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { syntheticEpisode, withDisplay } from '../../capture/dataset/syntheticEpisode.ts';
import { seedList } from '../../../../engine/tools/cli/commands/record.ts';
import { cliProcess } from './cliProcess.ts';


const cli = cliProcess;

describe('nextframe record / check-data', () => {
  it('records an episode through headless Chromium that matches the dataset contract, and resumes', { timeout: 240_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-record-'));
    const run = await cli('record', '--scene', 'arena', '--episodes', '1', '--ticks', '12', '--policy', 'wander', '--out', out, '--seed-start', '7', '--chunk', '5', '--eye-height', '1.3', '--json');
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ written: 1, kept: 0, refused: [], ticks: 12, seeds: [7, 7] });
    expect(summary.renderer).toMatch(/SwiftShader|ANGLE/);

    const { files, problems } = readEpisodeFiles(join(out, 'episode-000007'));
    expect(problems).toEqual([]);
    expect(checkEpisode(files)).toEqual({ ok: true });
    const meta = episodeMetaSchema.parse(files.meta);
    expect(meta).toMatchObject({
      format: 'nextframe.episode',
      formatVersion: 1,
      scene: 'arena',
      seed: 7,
      policy: 'wander',
      tickHz: 20,
      eyeHeight: 1.3,
      ticks: 12,
      resolution: { width: 64, height: 64 },
      camera: { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 },
    });
    expect(meta.actions.map((a) => `${a.name}:${a.kind}:${a.scale}:${a.bins}`)).toEqual([
      'forward:axis:0.4:9', 'strafe:axis:0.4:9', 'up:axis:0.5:9', 'yaw:axis:0.25:9', 'pitch:axis:0.15:9', 'jump:button:1:2', 'interact:button:1:2',
    ]);
    expect(files.frames).toMatchObject({ dtype: 'uint8', shape: [12, 64, 64, 3] });
    expect(files.depth).toMatchObject({ dtype: 'float16', shape: [12, 64, 64] });
    expect(files.poses).toMatchObject({ dtype: 'float32', shape: [12, 5] });
    expect(files.actions).toMatchObject({ dtype: 'float32', shape: [12, 7] });
    // A real picture: many colours; depth metric and positive.
    const frames = files.frames!.data as Uint8Array;
    expect(new Set(Array.from(frames.subarray(0, 64 * 64 * 3), (v, i) => (i % 3 === 0 ? v : -1))).size).toBeGreaterThan(20);
    const depth = Array.from(files.depth!.data as Uint16Array, float16ToFloat32);
    expect(Math.min(...depth)).toBeGreaterThan(0.05);
    expect(Math.max(...depth)).toBeLessThanOrEqual(60);
    expect(Array.from((files.actions!.data as Float32Array).subarray(0, 7))).toEqual([0, 0, 0, 0, 0, 0, 0]);

    // Run again: the complete episode is kept and nothing is recorded.
    const again = await cli('record', '--episodes', '1', '--ticks', '12', '--out', out, '--seed-start', '7', '--eye-height', '1.3', '--json');
    expect(again.status, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, kept: 1, ticks: 0 });

    const sheet = join(out, 'sheet.png');
    const checked = await cli('check-data', out, '--sheet', sheet, '--json');
    expect(checked.status, checked.stderr).toBe(0);
    expect(JSON.parse(checked.stdout)).toMatchObject({ usable: 1, refused: 0, ticks: 12 });
    expect(PNG.sync.read(readFileSync(sheet))).toMatchObject({ width: 8 * 64 * 3, height: 2 * 2 * 64 * 3 });
    rmSync(out, { recursive: true, force: true });
  });

  it('check-data reports broken episodes, keeps the rest, and fails only when none is usable', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-check-'));
    writeEpisode(join(out, 'episode-000000'), syntheticEpisode(0));
    const broken = syntheticEpisode(1);
    broken.actions[3] = Number.NaN;
    writeEpisode(join(out, 'episode-000001'), broken);
    const mixed = await cli('check-data', out);
    expect(mixed.status, mixed.stderr).toBe(0);
    expect(mixed.stdout).toContain('1 usable episodes');
    expect(mixed.stdout).toMatch(/refused episode-000001: .*actions\.npy: 1 values are NaN/);
    rmSync(join(out, 'episode-000000'), { recursive: true });
    const none = await cli('check-data', out, '--json');
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/check-data: no usable episode/);
    const empty = await cli('check-data', mkdtempSync(join(tmpdir(), 'nextframe-empty-')));
    expect(empty.stderr).toMatch(/no episode-NNNNNN folders found/);
  });

  it('--eye-height refuses what is not metres in (0.2, 10], before starting Chromium', async () => {
    for (const bad of ['abc', '0.2']) {
      const run = await cli('record', '--eye-height', bad, '--out', join(tmpdir(), 'nextframe-eye-never'));
      expect(run.status, bad).not.toBe(0);
      expect(run.stderr, bad).toContain(`--eye-height: expected metres above the floor in (0.2, 10], like 1.6, found "${bad}"`);
    }
  });

  it('--display refuses what is not 2 to 16 times the model width 64, before starting Chromium; check-data reports display frames', async () => {
    for (const bad of ['100', '1100']) {
      const run = await cli('record', '--display', bad, '--out', join(tmpdir(), 'nextframe-display-never'));
      expect(run.status, bad).not.toBe(0);
      expect(run.stderr, bad).toContain(`--display: expected a width in pixels that is 2 to 16 times the model width 64, like 256, found "${bad}"`);
    }
    const out = mkdtempSync(join(tmpdir(), 'nextframe-check-display-'));
    writeEpisode(join(out, 'episode-000000'), withDisplay(syntheticEpisode(0), 4));
    writeEpisode(join(out, 'episode-000001'), syntheticEpisode(1));
    const checked = await cli('check-data', out);
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stdout).toContain('display frames (display.npy) in 1 of 2 usable episodes, at 32×32');
    const json = await cli('check-data', out, '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({ usable: 2, withDisplay: 1, displaySizes: ['32×32'] });
    rmSync(out, { recursive: true, force: true });
  });

  it('reads --scene-seeds lists and ranges, and refuses what is not one', () => {
    expect(seedList('7', '--scene-seeds')).toEqual([7]);
    expect(seedList('0-3', '--scene-seeds')).toEqual([0, 1, 2, 3]);
    expect(seedList('8-9, 2,3-4,2', '--scene-seeds')).toEqual([8, 9, 2, 3, 4]);
    for (const bad of ['', '-1', '5-2', 'a', '1.5', '3-']) expect(() => seedList(bad, '--scene-seeds')).toThrow(/--scene-seeds: expected seeds like 7, 0-99/);
  });
});
