import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEpisode } from '../../../../engine/capture/dataset/episodeFiles.ts';
import { syntheticEpisode } from '../../capture/dataset/syntheticEpisode.ts';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SpeculationReport as Report } from '../../../../engine/tools/bench/replaySpeculation.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'engine/tools/cli/bin.mjs'), ...args], { cwd: root, encoding: 'utf8' });
const trace = 'engine/capture/recorder/traces/human-play-b.jsonl';
const traceA = 'engine/capture/recorder/traces/human-play-a.jsonl';
type Result = { device: { kind: string }; traces: { trace: string; ticks: number; priorFittedOn: string[] | 'builtin'; reports: (Report & { hitRates: number[] })[] }[] };

describe('nextframe bench-speculation', () => {
  it('replays a human trace through the real model: speculation serves ready frames and cuts latency', () => {
    const run = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', trace, '--ticks', '150', '--eval-ms', '3', '--branch-ms', '0.75', '--lookahead', '1', '--branches', '6', '--budget', '6', '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    const [b] = result.traces;
    expect(b!.ticks).toBe(150);
    expect(result.device.kind).toBe('simulated');
    // The prior was fitted on the other shipped trace, never on the one replayed.
    expect(b!.priorFittedOn).toEqual(['human-play-a.jsonl']);
    const [off, single, multi] = b!.reports;
    expect(b!.reports.map((r) => r.mode)).toEqual(['off', 'single', 'multi']);
    // No speculation: every frame is painted after its action, 3 evaluations of 3 ms.
    expect(off!.hitRate).toBe(0);
    expect(off!.latencyMs.mean).toBeCloseTo(9, 5);
    expect(off!.evaluationsPerFrame).toBe(1);
    expect(single!.hitRate).toBeGreaterThan(0.5);
    expect(multi!.hitRate).toBeGreaterThan(single!.hitRate);
    expect(multi!.latencyMs.mean).toBeLessThan(off!.latencyMs.mean);
    expect(multi!.evaluationsPerFrame).toBeLessThanOrEqual(1.5); // branches share one batched run
    expect(multi!.framesPaintedPerFrame).toBeGreaterThan(multi!.evaluationsPerFrame);
  }, 180_000);

  it('prints a table without --json, and refuses bad options', () => {
    const run = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', trace, '--ticks', '20', '--eval-ms', '40', '--modes', 'off,single');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/simulated device: 40 ms per evaluation/);
    expect(run.stdout).toMatch(/^off\s+0\.0 %\s+2\.40 \/ 2\.40/m);
    const bad = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', trace, '--modes', 'always');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/--modes: expected off, single, multi or auto/);
    const own = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', trace, '--prior', trace, '--ticks', '5');
    expect(own.status).toBe(1);
    expect(own.stderr).toMatch(/--prior: .*human-play-b\.jsonl is the trace being replayed/);
  }, 180_000);

  it('--modes auto reports what auto chose; each of several traces gets a prior fitted on the others; --repeat keeps every run', () => {
    const run = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', `${traceA},${trace}`, '--ticks', '60', '--eval-ms', '1', '--modes', 'off,auto', '--repeat', '2', '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as Result;
    expect(result.traces.map((t) => [t.trace, t.priorFittedOn])).toEqual([
      ['human-play-a.jsonl', ['human-play-b.jsonl']],
      ['human-play-b.jsonl', ['human-play-a.jsonl']],
    ]);
    for (const t of result.traces) {
      const [off, auto] = t.reports;
      expect(auto!.mode).toBe('auto');
      expect(auto!.hitRates).toHaveLength(2);
      expect(auto!.auto!.final).toMatch(/^(off|single·[12]|multi·\d+·[12])$/);
      // A 3 ms frame (3 evaluations of 1 ms) fits many times in a 50 ms tick: auto speculates.
      expect(auto!.hitRate).toBeGreaterThan(off!.hitRate);
    }
    const text = cli('bench-speculation', '--model', 'tests/fixtures/tiny', '--trace', trace, '--ticks', '20', '--eval-ms', '1', '--modes', 'auto', '--prior', 'builtin');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/prior fitted on both shipped traces \(builtin\)/);
    expect(text.stdout).toMatch(/auto chose .* of ticks; \d+ changes, .* at the end/);
  }, 300_000);

  it('--views scores speculated frames by the view they were painted for, on recorded episodes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-views-'));
    for (const seed of [0, 1]) writeEpisode(join(dir, `episode-00000${seed}`), syntheticEpisode(seed, 6, 32));
    const run = cli('bench-speculation', '--model', 'tests/fixtures/tiny-streams', '--trace', trace, '--ticks', '5', '--modes', 'off', '--eval-ms', '3', '--views', dir, '--json');
    expect(run.status, run.stderr).toBe(0);
    const { views } = JSON.parse(run.stdout) as { views: Record<string, number | string> };
    expect(views.episodes).toBe(dir);
    expect(views.frames).toBe(2 * (6 - 2)); // K = 2 start frames each
    for (const key of ['psnrOwnView', 'psnrLastView', 'psnrPredictedView', 'agreementLastView', 'agreementPredictedView', 'predictedPositionErrorM', 'predictedYawErrorDeg']) expect(Number.isFinite(views[key]), key).toBe(true);
    const text = cli('bench-speculation', '--model', 'tests/fixtures/tiny-streams', '--trace', trace, '--ticks', '5', '--modes', 'off', '--eval-ms', '3', '--views', dir);
    expect(text.stdout).toMatch(/predicted view\s+\d+\.\d+ dB \/ \d+\.\d+ dB \(pose off by/);
    const missing = cli('bench-speculation', '--model', 'tests/fixtures/tiny-streams', '--trace', trace, '--ticks', '5', '--modes', 'off', '--views', join(dir, 'nope'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no held-out episodes at .*nope\. Pass --views DIR/);
  }, 180_000);
});
