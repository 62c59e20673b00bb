import { SeededRandom } from '../../worldmodel/SeededRandom.ts';
import { actionFromPoses } from '../../worldmodel/geometry/actionFromPoses.ts';
import { buildPhysicsWorld, type CameraIntrinsics, CharacterController, type CharacterControllerOptions, IDLE_INTENT, type Intent, type PhysicsWorld, ProxyDepth, type RapierModule, type SceneDescription } from '../runtime/index.ts';
import { copyPose, type Pose } from '../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../worldmodel/index.ts';
import type { PolicyTask, TaskEpisode, TaskStatus } from './tasks/PolicyTask.ts';

export interface PolicySimulationOptions {
  scene: SceneDescription;
  rapier: RapierModule;
  task: PolicyTask;
  /** Proxy depth size and camera (the model's). */
  width: number;
  height: number;
  camera: CameraIntrinsics;
  /** Model ticks per second. Default 20. */
  tickHz?: number;
  controller?: CharacterControllerOptions;
  /**
   * Largest turn rates passed to the character, rad/s. Default: unlimited. The environments set
   * them from the model's action range (e.g. 0.25 rad/tick at 20 Hz = 5 rad/s), so a policy
   * cannot turn faster than the world model can show, in either source.
   */
  maxYawRate?: number;
  maxPitchRate?: number;
}

/** A dynamic body as observation sources draw it: centre, orientation, radius and colour. */
export interface SimObject {
  id: string;
  kind: 'ball' | 'crate';
  position: { x: number; y: number; z: number };
  /** Orientation quaternion (x, y, z, w). */
  rotation: { x: number; y: number; z: number; w: number };
  /** Balls: radius, m. */
  radius: number;
  /** Material colour, 0xRRGGBB. */
  color: number;
}

/**
 * The physics half of a policy environment, shared by both observation sources so they cannot
 * differ: a fresh Rapier world per episode (the task's dynamic bodies only), the character
 * controller spawned where the task says, one model tick per `step`, the action vector the model
 * is conditioned on, and the task's verdict from physics state. Owns wasm memory: `dispose()`.
 */
export class PolicySimulation {
  readonly task: PolicyTask;
  readonly tickSeconds: number;
  readonly width: number;
  readonly height: number;
  /** Camera pose after the last tick (the settled spawn pose after reset). */
  readonly pose: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  /** Raw action vector of the last tick (zeros after reset). */
  readonly action = new Float32Array(7);
  /** Proxy depth at `pose`, filled by `renderDepth()` (metres, row 0 at the top). */
  readonly depth: Float32Array;
  tick = 0;
  status: TaskStatus = { reward: 0, success: false, progress: 0 };
  /** The episode seed of the last reset. */
  seed = 0;
  private readonly scene: SceneDescription;
  private readonly rapier: RapierModule;
  private readonly camera: CameraIntrinsics;
  private readonly controllerOptions: CharacterControllerOptions | undefined;
  private readonly maxYawRate: number;
  private readonly maxPitchRate: number;
  private readonly previous: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  private readonly intent: Intent = { ...IDLE_INTENT };
  private readonly positions = new Map<string, { x: number; y: number; z: number }>();
  private physics: PhysicsWorld | null = null;
  private character: CharacterController | null = null;
  private proxy: ProxyDepth | null = null;
  private episodeState: TaskEpisode | null = null;
  private objectList: SimObject[] = [];
  private disposed = false;

  constructor(options: PolicySimulationOptions) {
    this.scene = options.scene;
    this.rapier = options.rapier;
    this.task = options.task;
    this.width = options.width;
    this.height = options.height;
    this.camera = { ...options.camera };
    this.tickSeconds = 1 / (options.tickHz ?? 20);
    this.controllerOptions = options.controller;
    this.maxYawRate = options.maxYawRate ?? Infinity;
    this.maxPitchRate = options.maxPitchRate ?? Infinity;
    this.depth = new Float32Array(this.width * this.height);
  }

  /** Start the episode of `seed`: the task places the player (and its objects), physics settles. */
  reset(seed: number): void {
    this.assertLive('reset');
    if (!Number.isInteger(seed)) throw new NextframeError('bad-input', `PolicySimulation: the episode seed must be an integer, found ${seed}.`);
    this.freeWorld();
    this.seed = seed;
    const episode = (this.episodeState = this.task.begin(this.scene, new SeededRandom(seed)));
    // A fresh world per episode: nothing of the last one (sleeping bodies, solver caches) carries over.
    const physics = (this.physics = buildPhysicsWorld({ ...this.scene, dynamics: episode.dynamics }, this.rapier));
    this.character = new CharacterController(physics, episode.spawn, this.controllerOptions);
    this.proxy = new ProxyDepth(physics, { width: this.width, height: this.height, camera: this.camera });
    // Let the capsule settle onto the floor before the first frame (as the recorder does).
    this.character.intent = { ...IDLE_INTENT };
    physics.advance(5 / 60, (dt) => this.character!.step(dt));
    copyPose(this.character.readPose(), this.pose);
    this.action.fill(0);
    this.tick = 0;
    this.status = { reward: 0, success: false, progress: 0 };
    this.objectList = physics.dynamics.map(({ id, kind }) => {
      const desc = episode.dynamics.find((d) => d.id === id)!;
      return {
        id,
        kind,
        position: { x: 0, y: 0, z: 0 },
        rotation: { x: 0, y: 0, z: 0, w: 1 },
        radius: desc.kind === 'ball' ? desc.radius : 0,
        color: this.scene.materials[desc.material]?.color ?? 0x808080,
      };
    });
    this.readObjects();
  }

  /** One model tick under `intent`: physics resolves it, then the task judges the new state. */
  step(intent: Readonly<Intent>): TaskStatus {
    this.assertLive('step');
    const physics = this.physics;
    const character = this.character;
    const episode = this.episodeState;
    if (!physics || !character || !episode) throw new NextframeError('not-reset', 'PolicySimulation: call reset(seed) before step().');
    copyIntent(intent, this.intent);
    this.intent.yawRate = Math.max(-this.maxYawRate, Math.min(this.maxYawRate, this.intent.yawRate));
    this.intent.pitchRate = Math.max(-this.maxPitchRate, Math.min(this.maxPitchRate, this.intent.pitchRate));
    character.intent = this.intent;
    copyPose(this.pose, this.previous);
    physics.advance(this.tickSeconds, (dt) => character.step(dt));
    copyPose(character.readPose(), this.pose);
    actionFromPoses(this.previous, this.pose, this.intent, this.action);
    this.tick++;
    this.readObjects();
    this.status = episode.evaluate({ pose: this.pose, tick: this.tick, objects: this.positions });
    return this.status;
  }

  /** Ray-cast the proxy depth for the current pose into `depth` (only the world-model source needs it). */
  renderDepth(): Float32Array {
    if (!this.proxy) throw new NextframeError('not-reset', 'PolicySimulation: call reset(seed) before renderDepth().');
    return this.proxy.render(this.pose, this.depth);
  }

  /** The episode as the task set it up (instruction, targets). */
  get episode(): TaskEpisode {
    if (!this.episodeState) throw new NextframeError('not-reset', 'PolicySimulation: call reset(seed) first.');
    return this.episodeState;
  }

  /** The episode's dynamic bodies after the last tick. */
  get objects(): readonly SimObject[] {
    return this.objectList;
  }

  /** Horizontal velocity after the last tick, m/s. */
  get velocity(): readonly [number, number] {
    const v = this.character?.velocity;
    return v ? [v.x, v.z] : [0, 0];
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.freeWorld();
  }

  private readObjects(): void {
    const physics = this.physics!;
    this.positions.clear();
    physics.dynamics.forEach(({ id, body }, i) => {
      const o = this.objectList[i]!;
      const t = body.translation();
      const r = body.rotation();
      o.position.x = t.x;
      o.position.y = t.y;
      o.position.z = t.z;
      o.rotation.x = r.x;
      o.rotation.y = r.y;
      o.rotation.z = r.z;
      o.rotation.w = r.w;
      this.positions.set(id, o.position);
    });
  }

  private freeWorld(): void {
    this.character?.dispose();
    this.physics?.dispose();
    this.character = null;
    this.physics = null;
    this.proxy = null;
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `PolicySimulation: ${method}() called after dispose(); create a new simulation.`);
  }
}

/** Copy an intent field by field, so a policy's object (possibly reused by it) is never kept. */
function copyIntent(from: Readonly<Intent>, out: Intent): void {
  out.forward = finite(from.forward);
  out.strafe = finite(from.strafe);
  out.yawRate = finite(from.yawRate);
  out.pitchRate = finite(from.pitchRate);
  out.jump = from.jump === true;
  out.interact = from.interact === true;
}

function finite(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
