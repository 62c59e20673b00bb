import type { Ray } from '@dimforge/rapier3d-compat';
import { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import { actionFromPoses } from '../../../worldmodel/geometry/actionFromPoses.ts';
import { buildPhysicsWorld, CharacterController, type CharacterControllerOptions, IDLE_INTENT, type Intent, type PhysicsWorld, type RapierModule, type SceneLayout, spawnPointFor } from '../../runtime/index.ts';
import { cameraForward } from '../../../worldmodel/geometry/cameraForward.ts';
import { copyPose, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { createPlayer } from '../players/createPlayer.ts';
import type { PlayerObservation, ScriptedPlayer } from '../players/ScriptedPlayer.ts';
import { NextframeError } from '../../../worldmodel/errors.ts';

export interface EpisodeSimulatorOptions {
  scene: SceneLayout;
  rapier: RapierModule;
  /** Episode seed: sets the spawn point and the player's randomness. */
  seed: number;
  /** Scripted player name (`wander`, `explore`); ignored when `player` is given. */
  policy: string;
  /** A player to use instead of the named policy (e.g. a ReplayPlayer). */
  player?: ScriptedPlayer;
  /**
   * Camera pose to start from instead of the seed's spawn point (y is eye height: the feet are
   * placed `controller.eyeHeight`, default 1.6 m, below it, then settle onto the floor).
   */
  start?: Pose;
  /** Model ticks per second. Default 20 (three 1/60 s physics steps per tick). */
  tickHz?: number;
  controller?: CharacterControllerOptions;
}

/**
 * The physics half of recording, without pixels: a scripted player drives the character
 * controller through the scene tick by tick, and each tick yields the camera pose and the
 * action vector that led to it. The browser recorder adds rendering and depth on top; Node
 * uses it directly (action statistics, tests). Owns a physics world: `dispose()`.
 */
export class EpisodeSimulator {
  readonly physics: PhysicsWorld;
  readonly character: CharacterController;
  readonly player: ScriptedPlayer;
  readonly tickSeconds: number;
  /** The camera pose after the last tick (the spawn pose before the first). */
  readonly pose: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  /** Raw action of the last tick (zeros before the first). */
  readonly action = new Float32Array(7);
  tick = 0;
  private readonly previous: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  private readonly intent: Intent = { ...IDLE_INTENT };
  private readonly observation: PlayerObservation;
  private readonly objects: { x: number; z: number }[];
  private readonly ray: Ray;
  private readonly around: number[];
  /** How far below the eye the free-distance rays start, m. */
  private readonly rayDrop: number;

  constructor(options: EpisodeSimulatorOptions) {
    const { scene, rapier, seed, policy } = options;
    this.tickSeconds = 1 / (options.tickHz ?? 20);
    this.player = options.player ?? createPlayer(policy, scene, seed);
    this.physics = buildPhysicsWorld(scene, rapier);
    const start = options.start;
    const eyeHeight = options.controller?.eyeHeight ?? DEFAULT_EYE_HEIGHT;
    // 0.3 m below the default eye (low walls and benches count too), 1.3 m above the feet whatever the
    // eye height: the capsule is the same, so the players see the same obstacles and walk the same paths.
    this.rayDrop = 0.3 + (eyeHeight - DEFAULT_EYE_HEIGHT);
    const spawn = start
      ? { x: start.x, y: start.y - eyeHeight, z: start.z, yaw: start.yaw }
      : spawnPointFor(scene, this.physics, new SeededRandom(seed));
    this.character = new CharacterController(this.physics, spawn, options.controller);
    if (start) this.character.pose.pitch = start.pitch;
    // Let the capsule settle onto the floor before the first frame.
    this.character.intent = { ...IDLE_INTENT };
    this.physics.advance(5 / 60, (dt) => this.character.step(dt));
    copyPose(this.character.readPose(), this.pose);
    this.objects = this.physics.dynamics.map(() => ({ x: 0, z: 0 }));
    this.around = [60, 60, 60, 60, 60, 60, 60, 60];
    this.observation = { tick: 0, pose: this.pose, grounded: true, blocked: 0, speed: 0, ahead: 60, around: this.around, objects: this.objects };
    this.ray = new rapier.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
  }

  /** Run one model tick: the player acts, physics resolves, the pose and action update. */
  step(): Float32Array {
    if (this.physics.isDisposed) throw new NextframeError('disposed', 'EpisodeSimulator: step() called after dispose(); create a new simulator.');
    const obs = this.observation;
    const c = this.character;
    obs.tick = this.tick;
    obs.grounded = c.grounded;
    obs.speed = Math.hypot(c.velocity.x, c.velocity.z);
    for (let k = 0; k < 8; k++) this.around[k] = this.distance(this.pose.yaw + (k * Math.PI) / 4);
    obs.ahead = this.around[0]!;
    this.physics.dynamics.forEach((d, i) => {
      const at = d.body.translation();
      this.objects[i]!.x = at.x;
      this.objects[i]!.z = at.z;
    });
    this.player.act(obs, this.intent);
    c.intent = this.intent;
    copyPose(this.pose, this.previous);
    let blocked = 0;
    const steps = this.physics.advance(this.tickSeconds, (dt) => {
      c.step(dt);
      blocked += c.blocked;
    });
    obs.blocked = steps > 0 ? blocked / steps : 0;
    copyPose(c.readPose(), this.pose);
    actionFromPoses(this.previous, this.pose, this.intent, this.action);
    this.tick++;
    return this.action;
  }

  /** Free horizontal distance 1.3 m above the feet in the direction `yaw`, against the static world. */
  private distance(yaw: number): number {
    const { rapier, world } = this.physics;
    const { ray, pose } = this;
    ray.origin.x = pose.x;
    ray.origin.y = pose.y - this.rayDrop;
    ray.origin.z = pose.z;
    cameraForward(yaw, 0, ray.dir);
    const hit = world.castRay(ray, 60, true, rapier.QueryFilterFlags.EXCLUDE_DYNAMIC | rapier.QueryFilterFlags.EXCLUDE_KINEMATIC);
    return hit ? hit.timeOfImpact : 60;
  }

  get isDisposed(): boolean {
    return this.physics.isDisposed;
  }

  dispose(): void {
    this.character.dispose();
    this.physics.dispose();
  }
}
