import { createVectorPolicyEnv, type PolicyEnvOptions } from './createVectorPolicyEnv.ts';
import type { PolicySimulation } from './PolicySimulation.ts';
import type { Observation, ObservationSource, PolicyAction, PolicyEnv, StepResult } from './types.ts';

/** A single environment, with its physics state in view (for tests, reports and scripted drivers). */
export interface SinglePolicyEnv extends PolicyEnv {
  readonly simulation: PolicySimulation;
  /** Milliseconds of the last `step`, by part. */
  readonly lastMs: Readonly<Record<string, number>>;
}

/**
 * One policy environment with Gymnasium semantics: `reset(seed)` starts the seeded episode (same
 * seed, same spawn, same targets, same physics), `step(action)` runs one model tick and reports
 * `{ observation, reward, terminated, truncated, info }`. Success and reward come from physics
 * only, so the `worldmodel` and `groundtruth` sources differ in the picture alone.
 *
 * ```ts
 * const env = await createPolicyEnv({ model: 'public/models/arena', task: 'reach', observation: 'worldmodel' });
 * let observation = await env.reset(7);
 * for (;;) {
 *   const { observation: next, terminated, truncated, info } = await env.step(policy.act(observation));
 *   observation = next;
 *   if (terminated || truncated) break;
 * }
 * await env.close();
 * ```
 */
export async function createPolicyEnv(options: PolicyEnvOptions): Promise<SinglePolicyEnv> {
  const vector = await createVectorPolicyEnv({ ...options, size: 1 });
  return {
    source: vector.source as ObservationSource,
    task: vector.task,
    simulation: vector.simulation(0),
    lastMs: vector.lastMs,
    reset: async (seed: number): Promise<Observation> => (await vector.reset([seed]))[0]!,
    step: async (action: PolicyAction): Promise<StepResult> => (await vector.step([action]))[0]!,
    close: () => vector.close(),
  };
}
