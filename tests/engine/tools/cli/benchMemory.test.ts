import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseTrajectories } from '../../../../engine/tools/bench/parseTrajectories.ts';
import { buildProgram } from '../../../../engine/tools/cli/main.ts';
import { cliProcess } from './cliProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-bench-memory-'));

const cli = cliProcess;

/** Look at the arch for 5 ticks, spin round (6 ticks), wait, spin back, look again: 25 frames. */
function shortRevisit(): unknown {
  const hold = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };
  const spin = (rate: number) => ({ ...hold, yawRate: rate });
  const half = Math.PI / 0.3; // π in 6 ticks of 0.05 s
  const intents = [...Array(5).fill(hold), ...Array(6).fill(spin(half)), hold, hold, ...Array(6).fill(spin(-half)), ...Array(5).fill(hold)];
  const phases = [...Array(5).fill('look'), ...Array(14).fill('away'), ...Array(5).fill('return')];
  return [{ name: 'spin-round', start: { x: 0, y: 1.6, z: 3, yaw: 0, pitch: 0 }, intents, phases }];
}

describe('nextframe bench-memory', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records a trajectory file and reports revisits with memory on and off', { timeout: 120_000 }, async () => {
    const file = join(dir, 'short.json');
    writeFileSync(file, JSON.stringify(shortRevisit()));
    const strip = join(dir, 'strip.png');
    const run = await cli('bench-memory', '--model', 'tests/fixtures/tiny-streams', '--trajectories', file, '--strip', strip, '--strip-frames', '3', '--supersample', '1', '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: 'tiny-streams', trajectoriesSource: file, resolution: { width: 32, height: 32 }, returnFrames: 5, contextFrames: 2, shortAway: [] });
    for (const key of ['revisitPsnrOn', 'revisitPsnrOff', 'firstVisitConsistencyOn', 'firstVisitConsistencyOff', 'msPerTickMemory', 'revisitPsnrCopyLast', 'revisitPsnrWarp', 'memoryCoverageReturn', 'revisitGainDb']) {
      expect(Number.isFinite(result[key]), key).toBe(true);
    }
    expect(result.revisitPsnrOn).not.toBe(result.revisitPsnrOff);
    expect(result.trajectories).toHaveLength(1);
    expect(result.trajectories[0]).toMatchObject({ name: 'spin-round', ticks: 25, awayTicks: 14, returnFrames: 5 });
    // Back at the start view: the memory of the first visit covers most of it.
    expect(result.memoryCoverageReturn).toBeGreaterThan(0.8);
    expect(result.trajectories[0].revisitPsnrWarp).toBe(result.revisitPsnrWarp);
    expect(PNG.sync.read(readFileSync(strip))).toMatchObject({ width: 3 * (32 * 4 + 2) + 2, height: 3 * (32 * 4 + 2) + 2 });
  });

  it('plans revisits on any scene module from its colliders and records them there', { timeout: 240_000 }, async () => {
    const run = await cli('bench-memory', '--model', 'tests/fixtures/tiny-streams', '--scene', 'tests/fixtures/scenes/readmeScene.ts', '--count', '1', '--steps', '1', '--supersample', '1', '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ model: 'tiny-streams', scene: 'readmeScene', trajectoriesSource: 'built-in (seeds 700000–700000)', shortAway: [] });
    expect(result.sceneHash).toMatch(/^[0-9a-f]{16}$/);
    expect(result.trajectories).toHaveLength(1);
    // A tower of the README scene (its proxies have no names: proxy5 … proxy9), out of view for ≥ 30 ticks.
    expect(result.trajectories[0].name).toMatch(/^revisit-700000-proxy[5-9]-same$/);
    expect(result.trajectories[0].awayTicks).toBeGreaterThanOrEqual(30);
    expect(result.returnFrames).toBeGreaterThan(10);
    expect(Number.isFinite(result.revisitPsnrOn)).toBe(true);
    // Recorded where it was planned: no start pushed out of a collider, no path strayed from.
    expect(run.stderr).not.toMatch(/warning:/);
  });

  it('says so when a scene has no landmark to revisit', { timeout: 120_000 }, async () => {
    const file = join(dir, 'none.json');
    const run = await cli('bench-memory', '--scene', 'tests/fixtures/scenes/noFreeSpot.ts', '--write-trajectories', file);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/bench-memory: no built-in revisit trajectories for --scene tests\/fixtures\/scenes\/noFreeSpot\.ts: scene "noFreeSpot" has no landmark to revisit\./);
    expect(existsSync(file)).toBe(false);
  });

  it('says so and fails when the model has no memory stream', async () => {
    const run = await cli('bench-memory', '--model', 'tests/fixtures/tiny', '--json');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/model "tiny" \(tests\/fixtures\/tiny\) has no memory stream: it is conditioned on context, actions/);
    expect(run.stdout).toBe('');
  });

  // In process from here: spawning the CLI costs seconds each time.
  const inProcess = (...args: string[]) => buildProgram().parseAsync(['node', 'nextframe', ...args]);

  it('refuses a broken trajectories file, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ name: 'x', start: { x: 0, z: 0, yaw: 0 }, intents: [{ forward: 2 }] }]));
    await expect(inProcess('bench-memory', '--model', 'tests/fixtures/tiny-streams', '--trajectories', file)).rejects.toThrow(/trajectory 0 \("x"\)\.intents\[0\]\.forward: expected a number in \[−1, 1\].*found 2/);
    writeFileSync(file, '[{');
    await expect(inProcess('bench-memory', '--model', 'tests/fixtures/tiny-streams', '--trajectories', file)).rejects.toThrow(/bad\.json is not JSON/);
  });

  it('writes the built-in set as an example file', async () => {
    const file = join(dir, 'builtin.json');
    await inProcess('bench-memory', '--write-trajectories', file, '--count', '2');
    expect(existsSync(file)).toBe(true);
    const written = parseTrajectories(JSON.parse(readFileSync(file, 'utf8')));
    expect(written.map((t) => t.name)).toEqual(['revisit-700000-pillar-blue-same', 'revisit-700001-bench-side']);
  });
});
