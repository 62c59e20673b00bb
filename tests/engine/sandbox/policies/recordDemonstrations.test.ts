import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNpy } from '../../../../worldmodel/dataset/npy.ts';
import { createVectorPolicyEnv } from '../../../../engine/sandbox/createVectorPolicyEnv.ts';
import { GroundTruthRenderer } from '../../../../engine/sandbox/groundtruth/GroundTruthRenderer.ts';
import { BC_ACTIONS } from '../../../../engine/sandbox/policies/bcActions.ts';
import { recordDemonstrations } from '../../../../engine/sandbox/policies/recordDemonstrations.ts';

const model = 'public/models/arena';
const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
let renderer: GroundTruthRenderer;

beforeAll(async () => {
  renderer = await GroundTruthRenderer.launch({ width: 64, height: 64, camera });
}, 120_000);
afterAll(async () => {
  await renderer?.close();
});

describe('recordDemonstrations', () => {
  it('rolls the expert out in ground truth and writes what policy_bc.py reads', async () => {
    const out = mkdtempSync(join(tmpdir(), 'nextframe-demos-'));
    const summary = await recordDemonstrations({
      makeEnv: (task) => createVectorPolicyEnv({ model, task, observation: 'groundtruth', size: 2, renderer }),
      tasks: ['push'],
      episodes: 2,
      seedStart: 500_000,
      out,
    });
    expect(summary.episodes).toBe(2);
    expect(summary.actionCounts.reduce((a, b) => a + b, 0)).toBe(summary.frames);
    expect(readdirSync(out).sort()).toEqual(['actions.json', 'meta.json', 'push-500000', 'push-500001']);
    expect(JSON.parse(readFileSync(join(out, 'actions.json'), 'utf8'))).toEqual(BC_ACTIONS);
    const images = parseNpy(readFileSync(join(out, 'push-500000', 'images.npy')));
    const targets = parseNpy(readFileSync(join(out, 'push-500000', 'targets.npy')));
    const actions = parseNpy(readFileSync(join(out, 'push-500000', 'actions.npy')));
    const t = actions.shape[0]!;
    expect(images).toMatchObject({ dtype: 'uint8', shape: [t, 64, 64, 3] });
    expect(targets.shape).toEqual([t, 6]);
    // Push: the target is the orange ball (0xff5a1f), the goal a pillar's colour.
    expect(Array.from(targets.data.subarray(0, 3))).toEqual([0xff, 0x5a, 0x1f]);
    expect(Array.from(targets.data.subarray(3, 6))).not.toEqual([0, 0, 0]);
    expect(Math.max(...actions.data)).toBeLessThan(BC_ACTIONS.length);
    // Frames are real renders: not one flat colour.
    const first = images.data.subarray(0, 64 * 64 * 3);
    expect(new Set(first).size).toBeGreaterThan(20);
  }, 240_000);
});
