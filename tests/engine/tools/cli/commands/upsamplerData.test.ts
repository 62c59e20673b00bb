import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEpisode } from '../../../../../engine/capture/dataset/episodeFiles.ts';
import { episodeDirName } from '../../../../../worldmodel/dataset/episode.ts';
import { fromFloat16Array, parseNpy } from '../../../../../worldmodel/dataset/npy.ts';
import { syntheticEpisode, withDisplay } from '../../../capture/dataset/syntheticEpisode.ts';
import { cliInProcess as cli } from '../cliInProcess.ts';

const root = fileURLToPath(new URL('../../../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'nextframe-upsampler-data-'));
const PYTHON = '/usr/bin/python3';
const hasTorch = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import numpy, torch'], { stdio: 'ignore' }).status === 0;

describe('nextframe upsampler-data', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes frame, memory, depth and truth of every N-th rollout tick in the layout the Python reader takes', { timeout: 60_000 }, async () => {
    const episodes = join(dir, 'episodes');
    const made = [1, 2].map((seed) => withDisplay(syntheticEpisode(seed, 2 + 24, 32), 4));
    made.forEach((e, i) => writeEpisode(join(episodes, episodeDirName(i + 1)), e));
    const out = join(dir, 'dump');
    const run = await cli('upsampler-data', '--model', 'tests/fixtures/tiny-streams', '--episodes', episodes, '--out', out, '--every', '4', '--rollouts', '1', '--rollout-ticks', '16', '--json');
    // One rollout per episode from tick 2 (K = 2); ticks 4, 8, 12, 16 are frames 5, 9, 13, 17.
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8'));
    expect(meta).toEqual({ scale: 4, width: 32, height: 32, samples: 8, far: 60, memoryChannel: 'coverage', source: { model: 'tests/fixtures/tiny-streams', episodes, every: 4, rollouts: 1, rolloutTicks: 16, seed: 0 } });
    expect(JSON.parse(run.stdout)).toMatchObject({ samples: 8, displayWidth: 128, rolloutCount: 2 });
    expect(readdirSync(out).sort()).toEqual(['depth.npy', 'frame.npy', 'memory.npy', 'meta.json', 'truth.npy']);
    const array = (name: string) => parseNpy(readFileSync(join(out, `${name}.npy`)));
    const [frame, memory, depth, truth] = ['frame', 'memory', 'depth', 'truth'].map(array) as [ReturnType<typeof array>, ReturnType<typeof array>, ReturnType<typeof array>, ReturnType<typeof array>];
    expect([frame.dtype, frame.shape]).toEqual(['uint8', [8, 32, 32, 3]]);
    expect([memory.dtype, memory.shape]).toEqual(['uint8', [8, 128, 128, 4]]);
    expect([depth.dtype, depth.shape]).toEqual(['float16', [8, 32, 32]]);
    expect([truth.dtype, truth.shape]).toEqual(['uint8', [8, 128, 128, 3]]);
    const ND = 128 * 128;
    const frames = [5, 9, 13, 17];
    made.forEach((e, i) => {
      frames.forEach((t, k) => {
        const n = 4 * i + k;
        expect(truth.data.subarray(n * 3 * ND, (n + 1) * 3 * ND)).toEqual(e.display!.subarray(t * 3 * ND, (t + 1) * 3 * ND));
        const metres = fromFloat16Array(e.depth.subarray(t * 1024, (t + 1) * 1024));
        const normalised = fromFloat16Array(depth.data.subarray(n * 1024, (n + 1) * 1024) as Uint16Array);
        for (const p of [0, 500, 1023]) expect(normalised[p]).toBeCloseTo(Math.min(1, metres[p]! / 60) * 2 - 1, 2);
      });
    });
    // Coverage is 0 or 255; where uncovered the colour is the render's 0, stored as 128.
    const m = memory.data as Uint8Array;
    let covered = 0;
    for (let p = 0; p < 8 * ND; p++) {
      expect(m[4 * p + 3] === 0 || m[4 * p + 3] === 255).toBe(true);
      if (m[4 * p + 3] === 0) expect([m[4 * p], m[4 * p + 1], m[4 * p + 2]]).toEqual([128, 128, 128]);
      else covered++;
    }
    expect(covered).toBeGreaterThan(0);
    if (hasTorch) {
      const check = spawnSync(PYTHON, ['-m', 'models.upsampler_data', out], { cwd: root, encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      expect(check.stdout).toMatch(/32x32 x4, 7 train \+ 1 held-out samples, far 60/);
    }
  });

  it('with --memory-channel confidence, writes memory\'s confidence: the same pixels covered, real views at 255, painted ones under', { timeout: 60_000 }, async () => {
    const episodes = join(dir, 'episodes');
    const coverage = parseNpy(readFileSync(join(dir, 'dump', 'memory.npy'))).data as Uint8Array;
    const out = join(dir, 'confidence');
    await cli('upsampler-data', '--model', 'tests/fixtures/tiny-streams', '--episodes', episodes, '--out', out, '--every', '4', '--rollouts', '1', '--rollout-ticks', '16', '--memory-channel', 'confidence');
    expect(JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')).memoryChannel).toBe('confidence');
    const m = parseNpy(readFileSync(join(out, 'memory.npy'))).data as Uint8Array;
    expect(m.length).toBe(coverage.length);
    const levels = new Set<number>();
    for (let p = 0; p < m.length / 4; p++) {
      expect(m[4 * p + 3]! > 0).toBe(coverage[4 * p + 3] === 255); // the same sampling noise, the same memory: the same pixels
      levels.add(m[4 * p + 3]!);
    }
    // Real context frames (255) and frames the model painted (its paintedFresh 0.25 and up, under 255).
    expect(levels.has(255)).toBe(true);
    expect([...levels].some((c) => c > 0 && c < 255)).toBe(true);
    await expect(cli('upsampler-data', '--model', 'tests/fixtures/tiny-streams', '--episodes', episodes, '--out', out, '--memory-channel', 'depth')).rejects.toThrow(/--memory-channel must be coverage or confidence, found "depth"/);
  });

  it('refuses episodes without display frames, saying how to record them', { timeout: 30_000 }, async () => {
    const episodes = join(dir, 'plain');
    writeEpisode(join(episodes, episodeDirName(1)), syntheticEpisode(1, 2 + 24, 32));
    await expect(cli('upsampler-data', '--model', 'tests/fixtures/tiny-streams', '--episodes', episodes, '--out', join(dir, 'none'))).rejects.toThrow(/must all have display frames of one size, found none; record them with display frames: npx nextframe record --scene .* --display 128/);
  });
});
