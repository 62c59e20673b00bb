import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { writeEpisode } from '../../../../../engine/capture/dataset/episodeFiles.ts';
import { episodeDirName } from '../../../../../worldmodel/dataset/episode.ts';
import { syntheticEpisode, withDisplay } from '../../../capture/dataset/syntheticEpisode.ts';
import { cliInProcess as cli } from '../cliInProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-eval-display-'));
const shown = join(dir, 'shown');
const plain = join(dir, 'plain');
// The tiny-streams fixture: 32 × 32 frames, K = 2; display frames 4× that.
for (const seed of [1, 2]) writeEpisode(join(shown, episodeDirName(seed)), withDisplay(syntheticEpisode(seed, 2 + 24, 32), 4));
writeEpisode(join(plain, episodeDirName(3)), syntheticEpisode(3, 2 + 24, 32));
const quick = ['--model', 'tests/fixtures/tiny-streams', '--rollouts', '1', '--rollout-ticks', '16'];

describe('nextframe eval-fidelity --display', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores display frames beside bicubic and warp, with the bars, and draws the strip', { timeout: 30_000 }, async () => {
    const strip = join(dir, 'strip.png');
    const run = await cli('eval-fidelity', ...quick, '--episodes', shown, '--display', '128', '--upsampler', 'bicubic', '--strip', strip, '--json');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ model: 'tiny-streams', upsampler: 'bicubic', upsamplerSource: 'bicubic', displayWidth: 128, displayHeight: 128, scale: 4, rollouts: 2, rolloutTicks: 16, episodes: 2 });
    expect(report.note).toBeUndefined(); // bicubic was asked for
    for (const key of ['psnrDisplay16', 'psnrDisplay64', 'detailRatioDisplay16', 'flickerDisplay']) {
      for (const suffix of ['', 'Bicubic', 'Warp']) expect(Number.isFinite(report[key + suffix]), key + suffix).toBe(true);
    }
    // The bicubic upsampler's frames are the bicubic column's: the PSNR bar cannot be met.
    expect(report.psnrDisplay16).toBe(report.psnrDisplay16Bicubic);
    expect(report.bars.map((b: { bar: string }) => b.bar)).toEqual(['PSNR at tick 16 ≥ bicubic + 1.5 dB and ≥ warp', 'detail ratio at tick 16 in 0.7–1.3', "flicker no worse than bicubic's"]);
    expect(report.bars[0].met).toBe(false);
    expect(report.barsMet).toBe(false);
    // Rows truth, bicubic, model, warp; columns ticks 1, 4, 8, 16; 128 px tiles, 2 px gaps.
    const png = PNG.sync.read(readFileSync(strip));
    expect([png.width, png.height]).toEqual([2 + 4 * 130, 2 + 4 * 130]);
  });

  it('prints model, bicubic and warp columns and each bar met or not; says when it falls back to bicubic', { timeout: 30_000 }, async () => {
    const run = await cli('eval-fidelity', ...quick, '--episodes', shown, '--display', '128');
    expect(run.stderr).toMatch(/note: no learned upsampler at .*tests\/fixtures\/upsampler: the display frames are the model's frames enlarged bicubically/);
    expect(run.stdout).toMatch(/model +bicubic +warp/);
    expect(run.stdout).toMatch(/PSNR tick 16 +[\d.]+ dB +[\d.]+ dB +[\d.]+ dB/);
    expect(run.stdout).toMatch(/✗ not met +PSNR at tick 16 ≥ bicubic \+ 1\.5 dB and ≥ warp/);
    expect(run.stdout).toMatch(/✓ met +flicker no worse than bicubic's/);
  });

  it('takes a learned upsampler from its folder', { timeout: 30_000 }, async () => {
    const run = await cli('eval-fidelity', ...quick, '--episodes', shown, '--display', '128', '--upsampler', 'tests/fixtures/tiny-streams-upsampler', '--json');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ upsampler: 'learned', upsamplerSource: 'tests/fixtures/tiny-streams-upsampler' });
    expect(report.psnrDisplay16).not.toBe(report.psnrDisplay16Bicubic);
  });

  it('refuses episodes without display frames, a size the model cannot show, an upsampler of another model and stray flags', { timeout: 30_000 }, async () => {
    const refused = (...args: string[]) => expect(cli('eval-fidelity', ...quick, '--episodes', shown, ...args)).rejects;
    await expect(cli('eval-fidelity', ...quick, '--episodes', plain, '--display', '128', '--upsampler', 'bicubic')).rejects.toThrow(
      /episode-000003 has no display frames \(display\.npy\) to score 128×128 frames against; record held-out episodes with them: npx nextframe record … --display 128/,
    );
    await refused('--display', '100').toThrow(/--display must be the model width 32 times an integer ≥ 2 \(e\.g\. 128\), found "100"/);
    await refused('--display', '128', '--upsampler', 'tests/fixtures/tiny-upsampler').toThrow(/--upsampler: tests\/fixtures\/tiny-upsampler does not fit model "tiny-streams": it paints 16×16 frames 4× larger; this model needs 32×32 frames 4× larger \(--display 128\)/);
    await refused('--display', '128', '--upsampler', join(dir, 'nowhere')).toThrow(/--upsampler: no upsampler at .*nowhere \(no manifest\.json\)/);
    await refused('--upsampler', 'bicubic').toThrow(/--upsampler picks the display upsampler of --display/);
    await refused('--display', '128', '--long').toThrow(/--display scores rollouts with memory on; it does not take --long/);
  });
});
