import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NextframeError } from '../../worldmodel/errors.ts';
import { WorldModel } from '../../worldmodel/WorldModel.ts';

// A lost device (here through the test hook: Node has no WebGPU) fails runs with `device-lost`;
// switchToWasm makes the session again and the same world goes on: history, tick and noise kept.
const fixture = fileURLToPath(new URL('../fixtures/tiny/', import.meta.url));
const start = (model: WorldModel) => Array.from({ length: model.contextFrames }, (_, i) => new Float32Array(3 * model.width * model.height).fill(-0.4 + 0.3 * i));

describe('WorldModel.switchToWasm', () => {
  it('after a device loss, goes on from the same history: its next frames are those of a model that never lost it', async () => {
    const lost = await WorldModel.load(fixture, { seed: 5 });
    const kept = await WorldModel.load(fixture, { seed: 5 });
    const walk = [{ forward: 0.3 }, { yaw: 0.1 }, { forward: 0.2, strafe: -0.1 }];
    for (const model of [lost, kept]) {
      model.reset(start(model));
      for (const action of walk) await model.step(action);
    }

    lost.loseDevice('test: device gone');
    expect(lost.deviceLost).toBe('test: device gone');
    const error = await lost.step({ forward: 0.3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NextframeError);
    expect((error as NextframeError).code).toBe('device-lost');
    expect((error as Error).message).toMatch(/device this session ran on was lost \(test: device gone\).*WorldModel\.switchToWasm keeps the world/);

    await lost.switchToWasm();
    expect(lost.deviceLost).toBeNull();
    expect(lost.backend).toBe('wasm');
    expect(lost.tick).toBe(kept.tick);
    // A branch's noise depends only on the seed and its tick, so equal frames mean equal history.
    const [a] = await lost.sampleBranches([{ action: { forward: 0.3 } }]);
    const [b] = await kept.sampleBranches([{ action: { forward: 0.3 } }]);
    expect(Array.from(a!.frame)).toEqual(Array.from(b!.frame));
    await lost.dispose();
    await kept.dispose();
  });

  it('moves every fork with it', async () => {
    const model = await WorldModel.load(fixture);
    const fork = model.fork({ seed: 1 });
    fork.reset(start(fork));
    model.loseDevice();
    await expect(fork.step({})).rejects.toMatchObject({ code: 'device-lost' });
    await model.switchToWasm();
    expect((await fork.step({})).length).toBe(3 * fork.width * fork.height);
    await fork.dispose();
    await model.dispose();
  });
});
