import { describe, expect, it } from 'vitest';
import { cliProcess } from './cliProcess.ts';

describe('nextframe bench-policy-env', () => {
  it('measures steps per second for each batch size and names the best', async () => {
    const run = await cliProcess('bench-policy-env', '--model', 'tests/fixtures/tiny-streams', '--batches', '1,2', '--ticks', '2', '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { source: string; results: { batchSize: number; stepsPerSecondMedian: number; msByPart: Record<string, number> }[]; best: { batchSize: number; stepsPerSecondMedian: number } };
    expect(report.source).toBe('worldmodel');
    expect(report.results.map((r) => r.batchSize)).toEqual([1, 2]);
    for (const r of report.results) {
      expect(r.stepsPerSecondMedian).toBeGreaterThan(0);
      expect(r.msByPart.model).toBeGreaterThan(0);
    }
    expect(report.best.stepsPerSecondMedian).toBe(Math.max(...report.results.map((r) => r.stepsPerSecondMedian)));
  }, 180_000);

  it('refuses bad batch sizes and sources in one line', async () => {
    const badBatch = await cliProcess('bench-policy-env', '--model', 'tests/fixtures/tiny-streams', '--batches', '1,zero');
    expect(badBatch.status).toBe(1);
    expect(badBatch.stderr).toMatch(/--batches: expected positive integers/);
    const badSource = await cliProcess('bench-policy-env', '--model', 'tests/fixtures/tiny-streams', '--source', 'dreams');
    expect(badSource.status).toBe(1);
    expect(badSource.stderr).toMatch(/--source: expected worldmodel or groundtruth/);
  }, 60_000);
});
