import { describe, expect, it } from 'vitest';
import { evaluatePolicies, type PolicyEntry } from '../../../../engine/sandbox/evaluation/evaluatePolicies.ts';
import { htmlReport } from '../../../../engine/sandbox/evaluation/htmlReport.ts';
import type { Observation, ObservationSource, PolicyAction, StepResult, VectorPolicyEnv } from '../../../../engine/sandbox/types.ts';

/**
 * A corridor world small enough to reason about by hand: each tick `forward` (0–1) moves the
 * walker that far; success at 5. The world-model source shows the walker's position as the red
 * channel of a 2×1 image, ground truth as the green: the bookkeeping, not the physics, is under test.
 */
class CorridorEnv implements VectorPolicyEnv {
  readonly task = 'corridor';
  readonly size: number;
  readonly seedsSeen: number[] = [];
  private positions: number[];
  private ticks: number[];
  constructor(
    readonly source: ObservationSource,
    size: number,
    private readonly maxTicks = 10,
  ) {
    this.size = size;
    this.positions = new Array(size).fill(0);
    this.ticks = new Array(size).fill(0);
  }
  private observe(i: number): Observation {
    const v = Math.min(255, this.positions[i]! * 40);
    return {
      image: new Uint8Array(this.source === 'worldmodel' ? [v, 0, 0, v, 0, 0] : [0, v, 0, 0, v, 0]),
      width: 2,
      height: 1,
      proprio: { pose: { x: this.positions[i]!, y: 0, z: 0, yaw: 0, pitch: 0 }, velocity: [0, 0], tick: this.ticks[i]! },
      instruction: 'walk',
      target: { id: 'end', color: 0xff0000 },
    };
  }
  async reset(seeds: readonly number[]): Promise<Observation[]> {
    this.seedsSeen.push(...seeds);
    this.positions = seeds.map(() => 0);
    this.ticks = seeds.map(() => 0);
    return seeds.map((_, i) => this.observe(i));
  }
  async step(actions: readonly PolicyAction[]): Promise<StepResult[]> {
    return actions.map((a, i) => {
      this.positions[i]! += Math.max(0, Math.min(1, a.forward));
      this.ticks[i]!++;
      const success = this.positions[i]! >= 5;
      return {
        observation: this.observe(i),
        reward: success ? 1 : 0,
        terminated: success,
        truncated: this.ticks[i]! >= this.maxTicks,
        info: { success, tick: this.ticks[i]!, source: this.source, progress: this.positions[i]! / 5 },
      };
    });
  }
  async close(): Promise<void> {}
}

/** Walks at `speed` per tick, in the source whose channel it reads; the seed decides nothing. */
function walker(name: string, wmSpeed: number, gtSpeed: number): PolicyEntry {
  return {
    name,
    create: () => ({
      name,
      act: (o: Observation) => ({ forward: o.image[0]! > 0 || o.proprio.tick === 0 ? wmSpeed : gtSpeed, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false }),
    }),
  };
}

/** Succeeds on even seeds only (in both sources): 50 % over seeds 0–3. */
const evenSeeds: PolicyEntry = {
  name: 'even',
  create: () => {
    let seed = 0;
    return { name: 'even', reset: (s: number) => void (seed = s), act: () => ({ forward: seed % 2 === 0 ? 1 : 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false }) };
  },
};

describe('evaluatePolicies', () => {
  it('counts successes per cell on paired seeds, correlates the sources and keeps strips', async () => {
    const envs: CorridorEnv[] = [];
    const progress: number[] = [];
    const report = await evaluatePolicies({
      // fast: 5 ticks in both; slow: 0.4/tick never arrives in 10 ticks; even: half the seeds.
      policies: [walker('fast', 1, 1), walker('slow', 0.4, 0.4), evenSeeds],
      tasks: ['corridor'],
      episodes: 4,
      batch: 3,
      seedStart: 10,
      stripFrames: 3,
      makeEnv: async (_task, source, size) => {
        const env = new CorridorEnv(source, size);
        envs.push(env);
        return env;
      },
      onProgress: (done) => progress.push(done),
    });
    const rate = (p: number, s: ObservationSource) => report.policies[p]!.tasks.corridor![s]!;
    expect(rate(0, 'worldmodel')).toMatchObject({ successes: 4, episodes: 4, rate: 1, meanTicks: 5, meanReturn: 1 });
    expect(rate(1, 'groundtruth')).toMatchObject({ successes: 0, rate: 0, meanTicks: 10 });
    expect(rate(2, 'groundtruth')).toMatchObject({ successes: 2, rate: 0.5 });
    expect(rate(2, 'groundtruth').low).toBeCloseTo(0.15, 2); // Wilson 2/4
    // Batches of 3 then 1 (padded to 3): seeds 10–13 in each env, in both sources.
    expect(envs.map((e) => e.source)).toEqual(['worldmodel', 'groundtruth']);
    expect(envs[0]!.seedsSeen.slice(0, 6)).toEqual([10, 11, 12, 13, 13, 13]);
    expect(report.pairs.map((p) => [p.policy, p.worldmodel, p.groundtruth])).toEqual([['fast', 1, 1], ['slow', 0, 0], ['even', 0.5, 0.5]]);
    expect(report.pearson).toBeCloseTo(1, 12);
    expect(report.spearman).toBeCloseTo(1, 12);
    expect(report.policyMeans).toEqual([{ policy: 'fast', worldmodel: 1, groundtruth: 1 }, { policy: 'slow', worldmodel: 0, groundtruth: 0 }, { policy: 'even', worldmodel: 0.5, groundtruth: 0.5 }]);
    expect(report.policySpearman).toBeCloseTo(1, 12);
    expect(report.stepsPerSecond.worldmodel).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(3 * 2 * 4);
    // The fast walker's first episode: ticks 0–4 seen, every 2nd kept, in the source's own colour channel.
    const strip = report.strips.find((s) => s.policy === 'fast' && s.source === 'groundtruth')!;
    expect(strip.ticks).toEqual([0, 2, 4]);
    expect(Array.from(strip.frames[1]!)).toEqual([0, 80, 0, 0, 80, 0]);
    expect(strip.success).toBe(true);
  });

  it('reports disagreement and refuses bad input', async () => {
    const makeEnv = async (_t: string, source: ObservationSource, size: number) => new CorridorEnv(source, size);
    // In the world model "optimist" walks fast and "pessimist" slow; ground truth the other way round.
    const report = await evaluatePolicies({ policies: [walker('optimist', 1, 0.4), walker('pessimist', 0.4, 1), evenSeeds], tasks: ['corridor'], episodes: 2, makeEnv });
    expect(report.pairs.map((p) => [p.worldmodel, p.groundtruth])).toEqual([[1, 0], [0, 1], [0.5, 0.5]]);
    expect(report.pearson).toBeCloseTo(-1, 12);
    await expect(evaluatePolicies({ policies: [walker('a', 1, 1), walker('a', 1, 1)], tasks: ['corridor'], episodes: 1, makeEnv })).rejects.toThrow(/two policies are named "a"/);
    await expect(evaluatePolicies({ policies: [], tasks: ['corridor'], episodes: 1, makeEnv })).rejects.toThrow(/no policies/);
    await expect(evaluatePolicies({ policies: [evenSeeds], tasks: ['corridor'], episodes: 0, makeEnv })).rejects.toThrow(/positive integer, found 0/);
  });
});

describe('htmlReport', () => {
  it('is one self-contained page with the scatter plot, the y = x line, the table and PNG strips', async () => {
    const report = await evaluatePolicies({
      policies: [walker('fast', 1, 1), evenSeeds],
      tasks: ['corridor'],
      episodes: 2,
      makeEnv: async (_t, source, size) => new CorridorEnv(source, size),
    });
    const html = htmlReport(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<svg');
    expect(html).toMatch(/<line x1="48" y1="372" x2="372" y2="48" stroke="#888" stroke-dasharray/); // y = x from (0,0) to (1,1)
    expect(html.match(/<tr><td>/g)).toHaveLength(2);
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(4); // 2 policies × 2 sources
    expect(html).not.toMatch(/(src|href)="(?!data:)/); // nothing fetched from elsewhere
    expect(html).toContain('Pearson r = 1.000');
  });
});
