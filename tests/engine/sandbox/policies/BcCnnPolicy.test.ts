import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BC_ACTIONS } from '../../../../engine/sandbox/policies/bcActions.ts';
import { BcCnnPolicy } from '../../../../engine/sandbox/policies/BcCnnPolicy.ts';
import type { Observation } from '../../../../engine/sandbox/types.ts';

const shipped = fileURLToPath(new URL('../../../../public/policies/bc-cnn/', import.meta.url));

function observation(fill: (row: number, col: number) => [number, number, number]): Observation {
  const image = new Uint8Array(64 * 64 * 3);
  for (let row = 0; row < 64; row++) for (let col = 0; col < 64; col++) image.set(fill(row, col), 3 * (row * 64 + col));
  return {
    image,
    width: 64,
    height: 64,
    proprio: { pose: { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, velocity: [0, 0], tick: 0 },
    instruction: 'walk to the red pillar',
    target: { id: 'pillar-red', color: 0xe0262b },
  };
}

describe('BcCnnPolicy (the shipped public/policies/bc-cnn)', () => {
  it('loads, reports its table and returns one of its intents', async () => {
    const policy = await BcCnnPolicy.load(shipped);
    try {
      expect(policy.name).toBe('bc-cnn');
      expect(policy.card.actions).toEqual(BC_ACTIONS);
      const sky = observation((row) => (row < 30 ? [120, 170, 220] : [205, 183, 140]));
      const action = await policy.act(sky);
      const table = BC_ACTIONS.map((a) => ({ forward: a.forward ?? 0, strafe: a.strafe ?? 0, yawRate: a.yawRate ?? 0, pitchRate: 0, jump: false, interact: false }));
      expect(table).toContainEqual(action);
    } finally {
      await policy.dispose();
    }
  });

  it('walks at a red pillar straight ahead and turns toward one off to the side', async () => {
    const policy = await BcCnnPolicy.load(shipped);
    try {
      const pillarAt = (c0: number) => observation((row, col) => (col >= c0 && col < c0 + 8 && row > 8 ? [200, 35, 40] : row < 30 ? [120, 170, 220] : [205, 183, 140]));
      expect((await policy.act(pillarAt(28))).forward).toBe(1);
      expect((await policy.act(pillarAt(54))).yawRate).toBeLessThan(0);
      expect((await policy.act(pillarAt(2))).yawRate).toBeGreaterThan(0);
    } finally {
      await policy.dispose();
    }
  });

  it('explains a missing folder, a bad card and a wrong image size', async () => {
    await expect(BcCnnPolicy.load(join(tmpdir(), 'no-such-policy'))).rejects.toThrow(/policy card \(policy\.json\) not found/);
    const broken = mkdtempSync(join(tmpdir(), 'nextframe-bc-'));
    cpSync(shipped, broken, { recursive: true });
    const card = JSON.parse(readFileSync(join(broken, 'policy.json'), 'utf8'));
    writeFileSync(join(broken, 'policy.json'), JSON.stringify({ ...card, format: 'other', actions: [] }));
    await expect(BcCnnPolicy.load(broken)).rejects.toThrow(/format must be "nextframe.policy"[\s\S]*actions must list one intent per logit/);
    const policy = await BcCnnPolicy.load(shipped);
    try {
      await expect(policy.act({ ...observation(() => [0, 0, 0]), width: 32, height: 128 })).rejects.toThrow(/trained on 64×64 images, the observation is 32×128/);
    } finally {
      await policy.dispose();
    }
  });
});
