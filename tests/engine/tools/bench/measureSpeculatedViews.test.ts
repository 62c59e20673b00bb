import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { measureSpeculatedViews } from '../../../../engine/tools/bench/measureSpeculatedViews.ts';
import type { Pose } from '../../../../worldmodel/geometry/Pose.ts';
import { PSNR_CAP_DB, type EvalEpisode } from '../../../../worldmodel/index.ts';
import { SeededRandom } from '../../../../worldmodel/SeededRandom.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

const streams = fileURLToPath(new URL('../../../fixtures/tiny-streams/', import.meta.url));

/** A camera turning left 0.2 rad a tick in front of noise walls 5 m away, then standing still; 32×32. */
function turning(): EvalEpisode {
  const ticks = 10;
  const rng = new SeededRandom(9);
  const frames = Uint8Array.from({ length: ticks * 32 * 32 * 3 }, () => Math.floor(rng.nextFloat() * 256));
  const poses = new Float32Array(ticks * 5);
  const actions = new Float32Array(ticks * 7);
  let yaw = 0;
  for (let t = 0; t < ticks; t++) {
    const turn = t > 0 && t < 7 ? 0.2 : 0;
    yaw += turn;
    actions[t * 7 + 3] = turn;
    poses.set([1, 1.6, 2, yaw, 0], t * 5);
  }
  return { name: 'turning', ticks, frames, actions, poses, depth: new Float32Array(ticks * 32 * 32).fill(5) };
}

describe('measureSpeculatedViews', () => {
  it('paints each tick for its own, the last and a predicted view, predicting from the quantised action', async () => {
    const model = await WorldModel.load(streams);
    const asked: Pose[] = [];
    const scores = await measureSpeculatedViews(model, [turning()], (pose, out) => {
      asked.push({ ...pose });
      return out.fill(5);
    });
    expect(scores.frames).toBe(10 - model.contextFrames);
    expect(asked).toHaveLength(scores.frames);
    // The first prediction: frame K − 1's pose turned by the action's bin centre (0.1875 rad for 0.2).
    expect(asked[0]!.yaw).toBeCloseTo(0.2 * (model.contextFrames - 1) + 0.1875, 5);
    expect(scores.predictedYawErrorDeg).toBeGreaterThan(0);
    expect(scores.predictedYawErrorDeg).toBeLessThan(1);
    expect(scores.predictedPositionErrorM).toBeCloseTo(0, 6);
    for (const key of ['psnrOwnView', 'psnrLastView', 'psnrPredictedView', 'agreementLastView', 'agreementPredictedView'] as const) {
      expect(Number.isFinite(scores[key]), key).toBe(true);
      expect(scores[key]).toBeLessThanOrEqual(PSNR_CAP_DB);
    }
    // Nearly the tick's own view: nearer the on-demand frame than the last tick's view is.
    expect(scores.agreementPredictedView).toBeGreaterThan(scores.agreementLastView);
    await model.dispose();
  });

  it('says what is missing when an episode has no poses or depth', async () => {
    const model = await WorldModel.load(streams);
    const bare: EvalEpisode = turning();
    delete bare.poses;
    await expect(measureSpeculatedViews(model, [bare], (_p, out) => out)).rejects.toThrow(/turning has no poses or depth/);
    await model.dispose();
  });
});
