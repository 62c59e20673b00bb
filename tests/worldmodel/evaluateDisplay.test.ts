import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BicubicUpsampler } from '../../worldmodel/BicubicUpsampler.ts';
import { bicubicUpsample } from '../../worldmodel/bicubicUpsample.ts';
import { NextframeError } from '../../worldmodel/errors.ts';
import { LearnedUpsampler } from '../../worldmodel/LearnedUpsampler.ts';
import { displayBars, evaluateDisplay, FLICKER_STILL_LEVELS, type DisplayReport } from '../../worldmodel/evaluateDisplay.ts';
import type { EvalEpisode } from '../../worldmodel/evaluateFidelity.ts';
import { rgbToFrame } from '../../worldmodel/frames.ts';
import { gradientEnergy, psnr, PSNR_CAP_DB } from '../../worldmodel/metrics.ts';
import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

const streamsFixture = fileURLToPath(new URL('../fixtures/tiny-streams/', import.meta.url));
const upsamplerFixture = fileURLToPath(new URL('../fixtures/tiny-streams-upsampler/', import.meta.url));
const W = 32; // the fixture's frames: 32 × 32, K = 2, far 60 m
const S = 4;
const WD = W * S;
const N = W * W;
const ND = WD * WD;

/**
 * A camera standing still 5 m from a wall. Its display frames (128 × 128) hold detail no model
 * frame has; the model frames are them averaged down, as the recorder makes them. `changing`:
 * the right half of the picture is new noise every tick, the left half stays.
 */
function stillEpisode(name: string, ticks: number, seed: number, changing = false): EvalEpisode {
  const rng = new SeededRandom(seed);
  const still = Uint8Array.from({ length: 3 * ND }, () => Math.floor(rng.nextFloat() * 256));
  const display = new Uint8Array(ticks * 3 * ND);
  const frames = new Uint8Array(ticks * 3 * N);
  for (let t = 0; t < ticks; t++) {
    const d = display.subarray(t * 3 * ND, (t + 1) * 3 * ND);
    d.set(still);
    if (changing) for (let Y = 0; Y < WD; Y++) for (let i = 3 * (Y * WD + WD / 2); i < 3 * (Y + 1) * WD; i++) d[i] = Math.floor(rng.nextFloat() * 256);
    for (let j = 0; j < W; j++) {
      for (let i = 0; i < W; i++) {
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) sum += d[3 * ((j * S + y) * WD + i * S + x) + c]!;
          frames[3 * (t * N + j * W + i) + c] = Math.round(sum / (S * S));
        }
      }
    }
  }
  const poses = new Float32Array(ticks * 5);
  for (let t = 0; t < ticks; t++) poses.set([1, 1.6, 2, 0.3, 0], t * 5);
  return { name, frames, actions: new Float32Array(ticks * 7), ticks, depth: new Float32Array(ticks * N).fill(5), poses, display, displaySize: { width: WD, height: WD } };
}

const loadModel = (): Promise<WorldModel> => WorldModel.load(streamsFixture, { display: new BicubicUpsampler({ width: W, height: W, scale: S }) });

/** Every display frame of the first rollout, per row, copied. */
async function collect(model: WorldModel, episode: EvalEpisode): Promise<{ report: DisplayReport; rows: Record<'truth' | 'model' | 'bicubic' | 'warp', Float32Array[]>; frames: Float32Array[]; memory: Float32Array[]; depth: Float32Array[] }> {
  const rows = { truth: [] as Float32Array[], model: [] as Float32Array[], bicubic: [] as Float32Array[], warp: [] as Float32Array[] };
  const frames: Float32Array[] = [];
  const memory: Float32Array[] = [];
  const depth: Float32Array[] = [];
  const report = await evaluateDisplay(model, [episode], {
    rolloutsPerEpisode: 1,
    rolloutTicks: 16,
    onSample: (_rollout, _tick, s) => {
      frames.push(s.frame.slice());
      memory.push(s.memory.slice());
      depth.push(s.depth.slice());
    },
    onRolloutFrame: (_rollout, _tick, f) => {
      for (const k of ['truth', 'model', 'bicubic', 'warp'] as const) rows[k].push(f[k].slice());
    },
  });
  return { report, rows, frames, memory, depth };
}

/** Mean |a − b| in 8-bit levels over the display pixels whose `mask` is true. */
function meanChange(a: Float32Array, b: Float32Array, mask: (p: number) => boolean): number {
  let sum = 0;
  let count = 0;
  for (let p = 0; p < ND; p++) {
    if (!mask(p)) continue;
    for (let c = 0; c < 3; c++) sum += Math.abs(a[c * ND + p]! - b[c * ND + p]!);
    count += 3;
  }
  return (sum / count) * 127.5;
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

describe('evaluateDisplay', () => {
  it('scores the model, bicubic and warp display frames against the display truth on a still view', async () => {
    const model = await loadModel();
    const episode = stillEpisode('still', 20, 1);
    const { report, rows, frames, memory, depth } = await collect(model, episode);
    expect(report).toMatchObject({ episodes: 1, rollouts: 1, rolloutTicks: 16, flickerTicks: 15, displayWidth: WD, displayHeight: WD, scale: S, upsampler: 'bicubic' });
    expect(frames).toHaveLength(16);
    const truth = rgbToFrame(episode.display!.subarray(0, 3 * ND), WD, WD);
    // Warp: the remembered real display frame at the very pose it was recorded from is the truth.
    expect(report.psnrDisplay16Warp).toBe(PSNR_CAP_DB);
    expect(report.psnrDisplay64Warp).toBe(PSNR_CAP_DB);
    expect(report.flickerDisplayWarp).toBe(0);
    expect(report.detailRatioDisplay16Warp).toBeCloseTo(1, 4);
    // What the upsampler saw of memory: the same real display frame, all covered.
    for (const m of [memory[0]!, memory[15]!]) {
      expect(m.subarray(3 * ND).every((c) => c === 1)).toBe(true);
      for (let i = 0; i < 3 * ND; i += 997) expect(m[i]).toBeCloseTo(truth[i]!, 5);
    }
    expect(depth[0]!.every((d) => Math.abs(d - ((5 / 60) * 2 - 1)) < 1e-6)).toBe(true);
    // Bicubic is the model's frame enlarged, and with a BicubicUpsampler the model's display is that too.
    for (const i of [0, 7, 15]) {
      expect(Array.from(rows.bicubic[i]!)).toEqual(Array.from(bicubicUpsample(frames[i]!, W, W, S)));
      expect(Array.from(rows.model[i]!)).toEqual(Array.from(rows.bicubic[i]!));
    }
    // By hand from the frames: PSNR at 16, detail ratio, flicker (the truth is still everywhere).
    expect(report.psnrDisplay16Bicubic).toBeCloseTo(Math.min(psnr(rows.bicubic[15]!, truth), PSNR_CAP_DB), 10);
    expect(report.psnrDisplay16).toBe(report.psnrDisplay16Bicubic);
    expect(report.psnrDisplay64).toBe(report.psnrDisplay16); // rolloutTicks 16: the same tick
    expect(report.detailRatioDisplay16Bicubic).toBeCloseTo(gradientEnergy(rows.bicubic[15]!, WD, WD) / gradientEnergy(truth, WD, WD), 10);
    const flicker = mean(Array.from({ length: 15 }, (_, i) => meanChange(rows.bicubic[i]!, rows.bicubic[i + 1]!, () => true)));
    expect(report.flickerDisplayBicubic).toBeCloseTo(flicker, 6);
    expect(report.flickerDisplay).toBe(report.flickerDisplayBicubic);
    // A random-weights model's frames enlarged are far from the truth the warp reproduces.
    expect(report.psnrDisplay16).toBeLessThan(report.psnrDisplay16Warp - 10);
    expect(report.msPerDisplayFrame).toBeGreaterThan(0);
    expect(report.msPerFrame).toBeGreaterThanOrEqual(report.msPerDisplayFrame);
    // Memory held the real frames (ticks −1, 0) with display frames, then the 16 painted, as in play.
    expect(model.memory!.ticks).toEqual(Array.from({ length: 18 }, (_, i) => i - 1));
    // Bicubic is no better than bicubic: that bar is not met, and the re-render's win is not hidden.
    const bars = displayBars(report);
    expect(bars.map((b) => b.met)).toEqual([false, report.detailRatioDisplay16 >= 0.7 && report.detailRatioDisplay16 <= 1.3, true]);
    expect(bars[0]!.bar).toBe('PSNR at tick 16 ≥ bicubic + 1.5 dB and ≥ warp');
    await model.dispose();
  });

  it("scores a learned upsampler's frames, leaving the bicubic and warp columns as they were", async () => {
    const episode = stillEpisode('still', 20, 4);
    const bicubicModel = await loadModel();
    const plain = await collect(bicubicModel, episode);
    await bicubicModel.dispose();
    const upsampler = await LearnedUpsampler.load(upsamplerFixture);
    const model = await WorldModel.load(streamsFixture, { display: upsampler });
    const { report, rows } = await collect(model, episode);
    expect(report.upsampler).toBe('learned');
    // The display frames do not reach the model frames (same noise, same memory at model resolution): bicubic and warp as before.
    for (const key of ['psnrDisplay16Bicubic', 'detailRatioDisplay16Bicubic', 'flickerDisplayBicubic', 'psnrDisplay16Warp', 'flickerDisplayWarp'] as const) expect(report[key], key).toBe(plain.report[key]);
    // The model column is the upsampler's own frames.
    expect(Array.from(rows.model[15]!)).not.toEqual(Array.from(rows.bicubic[15]!));
    expect(report.psnrDisplay16).toBeCloseTo(Math.min(psnr(rows.model[15]!, rows.truth[15]!), PSNR_CAP_DB), 10);
    await model.dispose();
    await upsampler.dispose();
  });

  it('scores flicker only where the truth stayed still', async () => {
    const model = await loadModel();
    const { report, rows } = await collect(model, stillEpisode('half', 20, 2, true));
    // Every tick has still pixels (the left half; by chance a few on the right too, within FLICKER_STILL_LEVELS).
    expect(report.flickerTicks).toBe(15);
    const still = (a: Float32Array, b: Float32Array) => (p: number) => [0, 1, 2].every((c) => Math.abs(Math.round((a[c * ND + p]! + 1) * 127.5) - Math.round((b[c * ND + p]! + 1) * 127.5)) <= FLICKER_STILL_LEVELS);
    for (const k of ['model', 'warp'] as const) {
      const byHand = mean(Array.from({ length: 15 }, (_, i) => meanChange(rows[k][i]!, rows[k][i + 1]!, still(rows.truth[i]!, rows.truth[i + 1]!))));
      expect(k === 'model' ? report.flickerDisplay : report.flickerDisplayWarp, k).toBeCloseTo(byHand, 6);
    }
    // Over all pixels the model's frames change more: the mask matters.
    const everywhere = mean(Array.from({ length: 15 }, (_, i) => meanChange(rows.model[i]!, rows.model[i + 1]!, () => true)));
    expect(everywhere).not.toBeCloseTo(report.flickerDisplay, 3);
    await model.dispose();
  });

  it('refuses episodes without display frames, of another display size, too short, and a model without an upsampler', async () => {
    const model = await loadModel();
    const episode = stillEpisode('ok', 20, 3);
    const refused = async (episodes: EvalEpisode[], message: RegExp, code = 'bad-episode', m = model, rolloutTicks = 16): Promise<void> => {
      const error = await evaluateDisplay(m, episodes, { rolloutsPerEpisode: 1, rolloutTicks }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NextframeError);
      expect((error as NextframeError).code).toBe(code);
      expect((error as NextframeError).message).toMatch(message);
    };
    const bare: EvalEpisode = { ...episode };
    delete bare.display;
    delete bare.displaySize;
    await refused([bare], /episode ok has no display frames \(display\.npy\) to score 128×128 frames against; record held-out episodes with them: npx nextframe record … --display 128/);
    await refused([{ ...episode, display: episode.display!.subarray(0, 20 * 3 * 64 * 64), displaySize: { width: 64, height: 64 } }], /display frames of 64×64 .*the model paints 128×128 \(4× its 32×32\)/);
    await refused([{ ...episode, poses: undefined as unknown as Float32Array }], /needs depth .* and poses/);
    await refused([episode], /has 20 ticks; a 32-tick rollout needs at least 34/, 'bad-episode', model, 32);
    await refused([episode], /rolloutTicks must be an integer ≥ 16, found 8/, 'bad-options', model, 8);
    const plain = await WorldModel.load(streamsFixture);
    await refused([episode], /has no display upsampler; load it with \{ display: upsampler \}/, 'bad-options', plain);
    await plain.dispose();
    await model.dispose();
  });
});
