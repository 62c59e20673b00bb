import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram } from '../../../../engine/tools/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-bench-speed-'));

/** Run `nextframe …` in this process (one thread count: no child processes) and return what it printed. */
async function inProcess(...args: string[]): Promise<string> {
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    await buildProgram().parseAsync(['node', 'nextframe', ...args]);
  } finally {
    write.mockRestore();
  }
  return printed;
}

const quick = ['--threads', '1', '--batch', '1', '--runs', '1'];

/** A 12 × 12 m room: a triangle-mesh floor (no floorY: spawn heights come from the colliders), four walls and a ball. */
function room(): unknown {
  const wall = (id: string, x: number, z: number, sx: number, sz: number) => ({ id, kind: 'box', material: 'wall', yaw: 0, position: [x, 1.5, z], size: [sx, 3, sz] });
  return {
    id: 'test-room',
    seed: 0,
    bounds: { halfX: 6, halfZ: 6 },
    statics: [
      { id: 'floor', kind: 'mesh', material: 'floor', yaw: 0, position: [0, 0, 0], vertices: [-7, 0, -7, 7, 0, -7, 7, 0, 7, -7, 0, 7], indices: [0, 2, 1, 0, 3, 2], min: [-7, 0, -7], max: [7, 0, 7] },
      wall('north', 0, -6.3, 13, 0.6),
      wall('south', 0, 6.3, 13, 0.6),
      wall('east', 6.3, 0, 0.6, 13),
      wall('west', -6.3, 0, 0.6, 13),
    ],
    dynamics: [{ id: 'ball', kind: 'ball', position: [2, 0.3, 2], radius: 0.3, mass: 1, material: 'ball' }],
    spawn: { minX: -4, maxX: 4, minZ: -4, maxZ: 4 },
  };
}

describe('nextframe bench-speed: the whole tick', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds the tick and its parts to the JSON, in the scene of a --scene-layout file', async () => {
    const file = join(dir, 'room.json');
    writeFileSync(file, JSON.stringify(room()));
    const result = JSON.parse(await inProcess('bench-speed', '--model', 'tests/fixtures/tiny', ...quick, '--ticks', '2', '--scene-layout', file, '--json'));
    // The speed keys are still there.
    expect(result).toMatchObject({ model: 'tiny', headline: { threads: 1, batch: 1 }, tickHz: 20, backend: 'wasm (onnxruntime-web in Node)' });
    expect(result.runs).toHaveLength(1);
    expect(result.msPerFrame).toBeGreaterThan(0);
    expect(result).toMatchObject({ tickScene: 'test-room', tickThreads: 1, ticksMeasured: 2, tickBudgetMs: 40, tickParts: { memoryRender: null, memoryInsert: null, displayRender: null, upsample: null }, tickDisplay: null });
    for (const part of ['physics', 'depth', 'model']) expect(result.tickParts[part], part).toBeGreaterThan(0);
    expect(result.msPerTick).toBeGreaterThanOrEqual(result.tickParts.model);
    expect(result.msPerTickPartsSum).toBeCloseTo(result.tickParts.physics + result.tickParts.depth + result.tickParts.model, 9);
  });

  it('prints the tick as one line with its parts, in the arena by default', async () => {
    const text = await inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', ...quick, '--ticks', '1');
    expect(text).toMatch(/\nwhole tick \(arena, 1 threads, median of 1\): [\d.]+ ms of a 40 ms budget — physics [\d.]+, depth [\d.]+, memory render [\d.]+, memory insert [\d.]+, model [\d.]+ \(part medians sum to [\d.]+\)\n$/);
  });

  it('--display adds the display memory render and the upsampling to the tick', async () => {
    const result = JSON.parse(await inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', ...quick, '--ticks', '2', '--display', '128', '--upsampler', 'bicubic', '--json'));
    expect(result.tickDisplay).toEqual({ width: 128, height: 128, scale: 4, upsampler: 'bicubic', source: 'bicubic' });
    const p = result.tickParts;
    for (const part of ['physics', 'depth', 'memoryRender', 'memoryInsert', 'model', 'displayRender', 'upsample']) expect(p[part], part).toBeGreaterThan(0);
    expect(result.msPerTickPartsSum).toBeCloseTo(p.physics + p.depth + p.memoryRender + p.memoryInsert + p.model + p.displayRender + p.upsample, 9);
    const text = await inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', ...quick, '--ticks', '1', '--display', '128', '--upsampler', 'bicubic');
    expect(text).toMatch(/\nwhole tick \(arena, 1 threads, median of 1, display 128×128 bicubic\): [\d.]+ ms of a 40 ms budget — physics [\d.]+, depth [\d.]+, memory render [\d.]+, memory insert [\d.]+, model [\d.]+, display memory render [\d.]+, upsampling [\d.]+ \(part medians sum to [\d.]+\)\n$/);
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', '--display', '100')).rejects.toThrow(/--display must be the model width 32 times an integer ≥ 2/);
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', '--upsampler', 'bicubic')).rejects.toThrow(/--upsampler picks the display upsampler of --display/);
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', '--display', '128', '--ticks', '0')).rejects.toThrow(/--ticks 0 leaves the tick out/);
  });

  it('leaves the tick out with --ticks 0', async () => {
    const result = JSON.parse(await inProcess('bench-speed', '--model', 'tests/fixtures/tiny', ...quick, '--ticks', '0', '--json'));
    expect(result.msPerStep).toBeGreaterThan(0);
    expect(result).not.toHaveProperty('msPerTick');
    expect(result).not.toHaveProperty('tickParts');
  });

  it('refuses a broken layout file before measuring, naming each problem', async () => {
    const file = join(dir, 'bad.json');
    const broken = room() as { statics: Record<string, unknown>[]; spawn: unknown; dynamics: unknown };
    broken.statics[1]!.size = [13, 0, 0.6];
    broken.statics[2]!.kind = 'torus';
    broken.spawn = { minX: 4, maxX: -4, minZ: -4, maxZ: 4 };
    writeFileSync(file, JSON.stringify(broken));
    const run = inProcess('bench-speed', '--model', 'tests/fixtures/tiny', ...quick, '--scene-layout', file);
    await expect(run).rejects.toThrow(/bad\.json is not a valid SceneLayout:\n {2}statics\[1\]\.size: expected \[x, y, z\] extents, all > 0, found \[13,0,0\.6\]\n {2}statics\[2\]\.kind: expected box, cylinder, cone, sphere, ramp or mesh, found "torus"\n {2}spawn: expected \{ minX < maxX/);
    writeFileSync(file, '{"id":');
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny', '--scene-layout', file)).rejects.toThrow(/--scene-layout: .*bad\.json could not be read as JSON/);
    writeFileSync(file, '[]');
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny', '--scene-layout', file)).rejects.toThrow(/holds \[\], not a SceneLayout object/);
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny', '--scene-layout', file)).rejects.toThrow(expect.objectContaining({ code: 'bad-scene' }));
  });
  it('--scene times the whole tick in a scene module\'s colliders, taken through the browser', { timeout: 120_000 }, async () => {
    const out = JSON.parse(await inProcess('bench-speed', '--model', 'tests/fixtures/tiny-streams', ...quick, '--ticks', '3', '--scene', 'tests/fixtures/scenes/readmeScene.ts', '--json')) as { tickScene: string; msPerTick: number };
    expect(out.tickScene).toBe('readmeScene');
    expect(out.msPerTick).toBeGreaterThan(0);
    await expect(inProcess('bench-speed', '--model', 'tests/fixtures/tiny', '--scene', 'arena', '--scene-layout', 'x.json')).rejects.toThrow(/give one/);
  });
});
