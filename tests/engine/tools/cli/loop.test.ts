import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { listEpisodes } from '../../../../engine/capture/dataset/episodeFiles.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = (...args: string[]) => {
  const run = spawnSync(process.execPath, [join(root, 'engine/tools/cli/bin.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000 });
  expect(run.status, `${args[0]}: ${run.stderr}`).toBe(0);
  return run.stdout;
};

// The README's record → train → export → play → evaluate loop, in miniature: real Chromium,
// real PyTorch, real onnxruntime. Numbers are meaningless at this size; the plumbing is not.
describe('record → train → export → play → evaluate', () => {
  it('runs end to end with the CLI', { timeout: 600_000 }, () => {
    const work = mkdtempSync(join(tmpdir(), 'nextframe-loop-'));
    const data = join(work, 'data');
    const run = join(work, 'run');
    const model = join(work, 'model');

    // What the test asks for is what it expects back: a fresh folder, so every episode is new.
    const episodes = 3;
    const ticks = 24;
    const recorded = JSON.parse(cli('record', '--scene', 'arena', '--episodes', String(episodes), '--ticks', String(ticks), '--out', data, '--json'));
    expect(recorded).toMatchObject({ written: episodes, kept: 0, replaced: 0, refused: [], ticks: episodes * ticks, seeds: [0, episodes - 1] });
    expect(listEpisodes(data)).toHaveLength(episodes);
    expect(JSON.parse(cli('check-data', data, '--json')).usable).toBe(episodes);

    cli('train', '--data', data, '--out', run, '--preset', 'mini', '--steps', '6', '--batch-size', '4', '--json');
    expect(existsSync(join(run, 'last.pt'))).toBe(true);

    const exported = JSON.parse(cli('export', '--checkpoint', join(run, 'last.pt'), '--out', model, '--with-checkpoint', '--json'));
    expect(exported.valid).toBe(true);
    expect(existsSync(join(model, 'checkpoint.pt'))).toBe(true);

    // Fine-tune from the exported folder (as from public/models/generalist): a new run that
    // starts from its weights and says so in the manifest it exports (with the loss settings it
    // was given: the CLI passes them on to models/train.py).
    const tuned = join(work, 'tuned');
    cli('train', '--data', data, '--out', tuned, '--init', model, '--steps', '2', '--batch-size', '4', '--uncovered-weight', '3', '--detail-weight', '0.05', '--detail-crop', '8', '--detail-uncovered', '--res-blocks', '2', '--json');
    const tunedModel = join(work, 'tuned-model');
    cli('export', '--checkpoint', join(tuned, 'last.pt'), '--out', tunedModel, '--json');
    const manifest = JSON.parse(readFileSync(join(tunedModel, 'manifest.json'), 'utf8'));
    expect(manifest.training).toMatchObject({ steps: 2, initFrom: { steps: 6 } });
    expect(manifest.training.initFrom.checkpoint).toContain('checkpoint.pt');
    expect(manifest.training.command).toContain('--uncovered-weight 3');
    expect(manifest.training.command).toContain('--detail-weight 0.05 --detail-crop 8 --detail-uncovered');
    expect(manifest.architecture.resBlocks).toBe(2); // grown from the folder's one block a level (models/grow.py)

    // The fine-tune's learning curve, scored stage by stage through the runtime (step 0: the model
    // it starts from), then one more stage: the stages already scored are kept, and training
    // resumes where it stopped.
    const curveRun = join(work, 'curve');
    const curveArgs = ['--data', data, '--out', curveRun, '--init', model, '--episodes', data, '--one-step', '2', '--rollouts', '1', '--rollout-ticks', '16', '--batch-size', '4'];
    const first = JSON.parse(cli('learning-curve', ...curveArgs, '--at', '2,1', '--json'));
    expect(first.points.map((p: { steps: number }) => p.steps)).toEqual([0, 1, 2]);
    for (const p of first.points) expect(Number.isFinite(p.psnr1) && Number.isFinite(p.psnr16)).toBe(true);
    const svg = join(work, 'curve.svg');
    const second = JSON.parse(cli('learning-curve', ...curveArgs, '--at', '1,2,3', '--target', 'psnr1=30', '--plot', svg, '--json'));
    expect(second.points.slice(0, 3)).toEqual(first.points);
    expect(second.points[3].steps).toBe(3);
    const trainedSteps = readFileSync(join(curveRun, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step as number);
    expect(Math.max(...trainedSteps)).toBe(3);
    expect(readFileSync(svg, 'utf8').match(/<circle /g)).toHaveLength(4);

    const played = JSON.parse(cli('sample', '--model', model, '--episode', listEpisodes(data)[0]!, '--ticks', '3', '--action', 'forward=0.2', '--out', join(work, 'play.png'), '--json'));
    expect(played.ticks).toBe(3);

    const report = JSON.parse(cli('eval-fidelity', '--model', model, '--episodes', data, '--one-step', '2', '--rollouts', '1', '--rollout-ticks', '16', '--strip', join(work, 'strip.png'), '--json'));
    // The picture of the first rollout: rows truth, model, warp, copy-last; ticks 1, 4, 8, 16 (64 × 64 frames, ×4, 2-px gaps).
    expect(PNG.sync.read(readFileSync(join(work, 'strip.png')))).toMatchObject({ width: 4 * (64 * 4 + 2) + 2, height: 4 * (64 * 4 + 2) + 2 });
    for (const key of ['psnr1', 'psnr1Baseline', 'psnr16', 'psnr16Baseline', 'psnr64', 'psnr64Baseline', 'detailRatio64']) {
      expect(Number.isFinite(report[key]), key).toBe(true);
    }
  });
});
