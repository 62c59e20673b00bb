import type { Intent } from '../runtime/index.ts';
import type { Pose } from '../../worldmodel/geometry/Pose.ts';

/**
 * The policy-evaluation sandbox's contracts: what a policy sees, what it returns, and what an
 * environment step reports (Gymnasium semantics). The world model and the ground-truth renderer
 * are two observation sources behind one environment; physics, reward and success are the same
 * in both, so the only difference a policy can notice is the image.
 */

/** Where observations come from: frames painted by the world model, or the scene rendered by Three.js. */
export type ObservationSource = 'worldmodel' | 'groundtruth';

/** The player's own body state, for policies that want more than pixels. */
export interface Proprioception {
  /** Camera pose (metres, radians). */
  pose: Pose;
  /** Horizontal velocity, m/s (x, z). */
  velocity: readonly [number, number];
  /** Ticks since reset. */
  tick: number;
}

/** One observation. The image is what the policy is judged on; proprioception is optional to use. */
export interface Observation {
  /** RGB, row 0 at the top, `width·height·3` bytes (0–255). */
  image: Uint8Array;
  width: number;
  height: number;
  proprio: Proprioception;
  /** The task's instruction in words, e.g. "reach the red pillar". */
  instruction: string;
  /** Task-specific target description a policy may use (e.g. the landmark's colour as 0xRRGGBB). */
  target: { id: string; color: number };
  /**
   * Where the target must end up, for tasks that move it (push: the target is the ball, the goal
   * the landmark it must reach); absent otherwise.
   */
  goal?: { id: string; color: number };
}

/** What a policy returns each tick: the same intent a keyboard or gamepad produces. */
export type PolicyAction = Intent;

/**
 * A policy: `reset` at the start of each episode (with the episode seed, for stochastic
 * policies), then `act` once per tick. May be async (a network model, an HTTP server).
 */
export interface Policy {
  readonly name: string;
  reset?(seed: number): void | Promise<void>;
  act(observation: Observation): PolicyAction | Promise<PolicyAction>;
  dispose?(): void | Promise<void>;
}

/** What `step` reports, as in Gymnasium. */
export interface StepResult {
  observation: Observation;
  reward: number;
  /** The task ended: success (or an unrecoverable failure). */
  terminated: boolean;
  /** The episode ran out of ticks. */
  truncated: boolean;
  info: StepInfo;
}

export interface StepInfo {
  /** True once the task's success test has passed. */
  success: boolean;
  tick: number;
  source: ObservationSource;
  /** Task-specific progress in [0, 1] (e.g. waypoints visited / total). */
  progress: number;
}

/** A single environment. */
export interface PolicyEnv {
  readonly source: ObservationSource;
  readonly task: string;
  reset(seed: number): Promise<Observation>;
  step(action: PolicyAction): Promise<StepResult>;
  close(): Promise<void>;
}

/** N environments stepped together (one batched model run per tick for the world-model source). */
export interface VectorPolicyEnv {
  readonly source: ObservationSource;
  readonly task: string;
  readonly size: number;
  reset(seeds: readonly number[]): Promise<Observation[]>;
  step(actions: readonly PolicyAction[]): Promise<StepResult[]>;
  /**
   * Start a new episode in environment `index` only, the others carrying on (an environment that
   * has ended stays frozen until then). Optional for implementations; the built-in one has it.
   */
  resetAt?(index: number, seed: number): Promise<Observation>;
  close(): Promise<void>;
}
