import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { writeEpisode } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { episodeDirName } from '../../../../worldmodel/dataset/episode.ts';
import { syntheticEpisode } from '../../capture/dataset/syntheticEpisode.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'engine/tools/cli/bin.mjs'), ...args], { cwd: root, encoding: 'utf8' });

describe('nextframe CLI', () => {
  it('--help lists every subcommand', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const name of ['info', 'sample', 'export', 'record', 'train', 'eval-fidelity', 'bench-speed', 'bench-memory', 'bench-speculation', 'eval-policies', 'upsampler-data']) {
      expect(run.stdout).toContain(name);
    }
  });

  it('`npx nextframe` finds this repository\'s CLI (npm ci links it into node_modules/.bin; npm does not link a project\'s own bin)', () => {
    const run = spawnSync('npx', ['--no-install', 'nextframe', '--help'], { cwd: root, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('record a Three.js scene, train a world model of it');
  });

  it('each subcommand has --help and --json', () => {
    for (const name of ['info', 'sample', 'export', 'record', 'bench-speed', 'eval-fidelity', 'bench-memory', 'bench-speculation', 'upsampler-data']) {
      const run = cli(name, '--help');
      expect(run.status, name).toBe(0);
      expect(run.stdout, name).toContain('--json');
    }
  });

  it('eval-fidelity --long rolls episodes out to their end, per window, with a plot and a strip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-long-'));
    for (const seed of [1, 2]) writeEpisode(join(dir, episodeDirName(seed)), syntheticEpisode(seed, 2 + 24, 32));
    const plot = join(dir, 'long.svg');
    const strip = join(dir, 'long.png');
    const run = cli('eval-fidelity', '--model', 'tests/fixtures/tiny-streams', '--episodes', dir, '--long', '--window', '10', '--plot', plot, '--strip', strip, '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ model: 'tiny-streams', rollouts: 2, ticks: 24, window: 10 });
    expect(report.windows.map((w: { from: number; to: number }) => [w.from, w.to])).toEqual([[1, 10], [11, 20], [21, 24]]);
    expect(readFileSync(plot, 'utf8')).toContain('rollout tick');
    // Rows truth, model, warp, copy-last; columns ticks 1, 10, 20, 24.
    const png = PNG.sync.read(readFileSync(strip));
    expect(png.width).toBeGreaterThanOrEqual(4 * 32);
    expect(png.height).toBeGreaterThanOrEqual(4 * 32);
    const short = cli('eval-fidelity', '--model', 'tests/fixtures/tiny-streams', '--episodes', dir, '--long', '--window', '100');
    expect(short.status).not.toBe(0);
    expect(short.stderr).toMatch(/under one 100-tick window/);
    const plotAlone = cli('eval-fidelity', '--model', 'tests/fixtures/tiny-streams', '--episodes', dir, '--plot', plot);
    expect(plotAlone.stderr).toMatch(/--plot draws the windows of --long/);
  });

  it('info --json validates the fixture and describes it', () => {
    const run = cli('info', 'tests/fixtures/tiny', '--json');
    expect(run.status, run.stderr).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info).toMatchObject({ id: 'tiny', valid: true, backend: 'wasm', contextFrames: 2 });
  });

  it('sample writes a PNG grid of the frames it generated', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nextframe-')), 'frames.png');
    const run = cli('sample', '--model', 'tests/fixtures/tiny', '--ticks', '4', '--action', 'forward=0.2', '--out', out, '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ticks).toBe(4);
    expect(existsSync(out)).toBe(true);
    const png = PNG.sync.read(readFileSync(out));
    expect(png.width).toBeGreaterThan(4 * 32 * 4);
  });

  it('export runs the PyTorch exporter and the runtime accepts what it wrote', () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-export-'));
    const run = cli('export', '--preset', 'tiny', '--seed', '5', '--out', out, '--json');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ id: 'tiny', valid: true, inputs: ['noisy', 'sigma', 'context', 'actions'] });
    expect(existsSync(join(out, 'model.onnx'))).toBe(true);
  });

  it('bench-speed --json reports the speed keys for each thread count and batch', () => {
    const run = cli('bench-speed', '--model', 'tests/fixtures/tiny', '--threads', '1', '--batch', '1,2', '--runs', '2', '--ticks', '0', '--json'); // the whole tick: benchSpeed.test.ts
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: 'tiny', params: 35091, stepsPerFrame: 3 });
    for (const key of ['gflopsPerStep', 'msPerStep', 'msPerFrame']) expect(result[key], key).toBeGreaterThan(0);
    expect(result.runs.map((r: { batch: number }) => r.batch)).toEqual([1, 2]);
  });

  it('errors are one clear line and a non-zero exit', () => {
    const missing = cli('info', 'tests/fixtures/nope');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/nextframe: .*manifest\.json not found/);
    const unknownTask = cli('eval-policies', '--model', 'tests/fixtures/tiny', '--task', 'fly', '--json');
    expect(unknownTask.status).not.toBe(0);
    expect(unknownTask.stderr).toMatch(/fly/);
    expect(unknownTask.stderr.trim().split('\n')).toHaveLength(1);
    const badAction = cli('sample', '--model', 'tests/fixtures/tiny', '--action', 'forward=fast');
    expect(badAction.stderr).toMatch(/--action: expected slot=value pairs/);
  });
});
