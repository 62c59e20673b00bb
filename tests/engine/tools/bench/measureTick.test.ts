import RAPIER from '@dimforge/rapier3d-compat';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureTick, type TickReport } from '../../../../engine/tools/bench/measureTick.ts';
import type { RapierModule } from '../../../../engine/runtime/physics/rapierTypes.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';
import { WorldModel } from '../../../../worldmodel/WorldModel.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/${name}/`, import.meta.url));
const rapier = RAPIER as unknown as RapierModule;

/** What holds for any report, whatever the machine's speed: a median of the whole is at least the median of any part of it. */
function expectWholeCoversParts(report: TickReport): void {
  const parts = Object.values(report.tickParts).filter((ms): ms is number => ms !== null);
  for (const ms of parts) expect(report.msPerTick).toBeGreaterThanOrEqual(ms);
  expect(report.msPerTickPartsSum).toBeCloseTo(parts.reduce((a, b) => a + b, 0), 9);
  expect(report.tickBudgetMs).toBe(40);
}

describe('measureTick', () => {
  const models: WorldModel[] = [];
  beforeAll(async () => {
    await RAPIER.init();
    models.push(await WorldModel.load(fixture('tiny-streams'), { device: 'wasm', threads: 1 }), await WorldModel.load(fixture('tiny'), { device: 'wasm', threads: 1 }));
  });
  afterAll(async () => {
    for (const m of models) await m.dispose();
  });

  it('times every part of a memory + depth model, and the memory really renders and remembers each tick', async () => {
    const model = models[0]!;
    const done: number[] = [];
    const report = await measureTick(model, { scene: arenaScene(0), rapier, ticks: 4, warmupTicks: 2, onProgress: (n, total) => done.push(n, total) });
    expect(report.ticksMeasured).toBe(4);
    expect(done.slice(-2)).toEqual([6, 6]);
    const { physics, depth, memoryRender, memoryInsert, model: denoise } = report.tickParts;
    for (const ms of [physics, depth, memoryRender, memoryInsert, denoise]) {
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThan(0);
    }
    expectWholeCoversParts(report);
    // Painted 6 frames after a reset that remembered the newest start view: 7 keyframes.
    expect(model.tick).toBe(6);
    expect(model.memory!.size).toBe(7);
  });

  it('has no memory parts for a model without a memory stream', async () => {
    const report = await measureTick(models[1]!, { scene: arenaScene(0), rapier, ticks: 3, warmupTicks: 1 });
    expect(report.tickParts.memoryRender).toBeNull();
    expect(report.tickParts.memoryInsert).toBeNull();
    for (const ms of [report.tickParts.physics, report.tickParts.depth, report.tickParts.model]) expect(ms).toBeGreaterThan(0);
    expectWholeCoversParts(report);
  });

  it('refuses a tick count that times nothing', async () => {
    await expect(measureTick(models[1]!, { scene: arenaScene(0), rapier, ticks: 0 })).rejects.toThrow(/ticks must be a positive integer, found 0/);
  });
});
