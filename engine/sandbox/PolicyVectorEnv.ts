import { NextframeError } from '../../worldmodel/index.ts';
import type { ObservationRenderer } from './ObservationRenderer.ts';
import type { PolicySimulation } from './PolicySimulation.ts';
import type { PolicyTask } from './tasks/PolicyTask.ts';
import type { Observation, ObservationSource, PolicyAction, StepResult, VectorPolicyEnv } from './types.ts';

/**
 * N policy environments stepped together: physics per environment, pictures for all of them in
 * one batch from the observation source. Gymnasium semantics per environment: `terminated` when
 * the task succeeds, `truncated` when it runs out of ticks first. An environment that has ended
 * stays frozen (its last result again, reward 0, no model time spent) until `reset` or `resetAt`
 * starts it anew. `close()` frees the physics worlds and the source.
 */
export class PolicyVectorEnv implements VectorPolicyEnv {
  readonly source: ObservationSource;
  readonly task: string;
  readonly size: number;
  /** Milliseconds of the last `step`: physics, then the source's parts (render, or depth, model and overlay). */
  readonly lastMs: Record<string, number> = { physics: 0 };
  private readonly sims: readonly PolicySimulation[];
  private readonly renderer: ObservationRenderer;
  private readonly maxTicks: number;
  private readonly last: (StepResult | null)[];
  private readonly started: boolean[];
  private closed = false;

  constructor(sims: readonly PolicySimulation[], renderer: ObservationRenderer, task: PolicyTask) {
    if (sims.length === 0) throw new NextframeError('bad-options', 'PolicyVectorEnv: expected at least one environment, found none; pass one PolicySimulation or more.');
    this.sims = sims;
    this.renderer = renderer;
    this.source = renderer.source;
    this.task = task.name;
    this.maxTicks = task.maxTicks;
    this.size = sims.length;
    this.last = sims.map(() => null);
    this.started = sims.map(() => false);
  }

  /** Start every environment's episode, environment i with `seeds[i]`. */
  reset(seeds: readonly number[]): Promise<Observation[]> {
    if (seeds.length !== this.size) throw new NextframeError('bad-input', `PolicyVectorEnv: reset expected ${this.size} seeds (one per environment), found ${seeds.length}.`);
    return this.resetSlots(seeds.map((_, i) => i), seeds);
  }

  /** Start a new episode in environment `index` only (the others carry on). */
  async resetAt(index: number, seed: number): Promise<Observation> {
    if (!Number.isInteger(index) || index < 0 || index >= this.size) throw new NextframeError('bad-input', `PolicyVectorEnv: resetAt index must be 0 to ${this.size - 1}, found ${index}.`);
    return (await this.resetSlots([index], [seed]))[0]!;
  }

  /** One tick of every running environment, environment i under `actions[i]`. */
  async step(actions: readonly PolicyAction[]): Promise<StepResult[]> {
    this.assertOpen('step');
    if (actions.length !== this.size) throw new NextframeError('bad-input', `PolicyVectorEnv: step expected ${this.size} actions (one per environment), found ${actions.length}.`);
    const slots: number[] = [];
    for (let i = 0; i < this.size; i++) {
      if (!this.started[i]) throw new NextframeError('not-reset', `PolicyVectorEnv: environment ${i} was never reset; call reset(seeds) first.`);
      const previous = this.last[i];
      if (!previous || !(previous.terminated || previous.truncated)) slots.push(i);
    }
    const t0 = performance.now();
    const sims = slots.map((i) => this.sims[i]!);
    const statuses = sims.map((sim, k) => sim.step(actions[slots[k]!]!));
    this.lastMs.physics = performance.now() - t0;
    const images = slots.length > 0 ? await this.renderer.step(sims, slots) : [];
    Object.assign(this.lastMs, this.renderer.lastMs);
    slots.forEach((i, k) => {
      const sim = sims[k]!;
      const status = statuses[k]!;
      const terminated = status.success;
      this.last[i] = {
        observation: this.observe(sim, images[k]!),
        reward: status.reward,
        terminated,
        truncated: !terminated && sim.tick >= this.maxTicks,
        info: { success: status.success, tick: sim.tick, source: this.source, progress: status.progress },
      };
    });
    return this.last.map((result, i) => (slots.includes(i) ? result! : { ...result!, reward: 0 }));
  }

  /** The physics state of environment `index` (for tests, reports and scripted drivers). */
  simulation(index: number): PolicySimulation {
    const sim = this.sims[index];
    if (!sim) throw new NextframeError('bad-input', `PolicyVectorEnv: no environment ${index} (size ${this.size}); pass 0 to ${this.size - 1}.`);
    return sim;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const sim of this.sims) sim.dispose();
    await this.renderer.close();
  }

  private async resetSlots(slots: readonly number[], seeds: readonly number[]): Promise<Observation[]> {
    this.assertOpen('reset');
    const sims = slots.map((i) => this.sims[i]!);
    sims.forEach((sim, k) => sim.reset(seeds[k]!));
    const images = await this.renderer.reset(sims, slots);
    return slots.map((i, k) => {
      this.started[i] = true;
      this.last[i] = null;
      return this.observe(sims[k]!, images[k]!);
    });
  }

  private observe(sim: PolicySimulation, image: Uint8Array): Observation {
    const episode = sim.episode;
    const target = episode.target();
    const goal = episode.goal();
    return {
      image,
      width: sim.width,
      height: sim.height,
      proprio: { pose: { ...sim.pose }, velocity: sim.velocity, tick: sim.tick },
      instruction: episode.instruction,
      target: { id: target.id, color: target.color },
      ...(goal ? { goal: { id: goal.id, color: goal.color } } : {}),
    };
  }

  private assertOpen(method: string): void {
    if (this.closed) throw new NextframeError('disposed', `PolicyVectorEnv: ${method}() called after close(); create a new environment.`);
  }
}
