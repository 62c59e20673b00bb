import type { Collider, KinematicCharacterController, Ray, RigidBody } from '@dimforge/rapier3d-compat';
import type { SpawnPoint } from '../scene/spawnPose.ts';
import type { PhysicsWorld } from './PhysicsWorld.ts';
import { cameraForward } from '../../../worldmodel/geometry/cameraForward.ts';
import { headingAxes } from '../../../worldmodel/geometry/heading.ts';
import { wrapAngle, type Pose } from '../../../worldmodel/geometry/Pose.ts';
import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import { NextframeError } from '../../../worldmodel/errors.ts';

/**
 * What a player wants this tick, before physics: keyboard, joystick, gamepad or a scripted
 * policy all produce one. Axes are fractions of full speed; turn rates are radians per second.
 */
export interface Intent {
  /** Walk forward (+) or back (−), in [−1, 1] of `walkSpeed`. */
  forward: number;
  /** Walk right (+) or left (−), in [−1, 1] of `walkSpeed`. */
  strafe: number;
  /** Turn left (+) or right (−), rad/s. */
  yawRate: number;
  /** Look up (+) or down (−), rad/s. */
  pitchRate: number;
  /** Held: jumps whenever the character stands on the ground. */
  jump: boolean;
  /** Pressed: pushes the object in front of the camera, if one is within reach. */
  interact: boolean;
}

export const IDLE_INTENT: Readonly<Intent> = { forward: 0, strafe: 0, yawRate: 0, pitchRate: 0, jump: false, interact: false };

export interface CharacterControllerOptions {
  /** Capsule radius, m. Default 0.3. */
  radius?: number;
  /** Capsule total height (feet to head), m. Default 1.75. */
  height?: number;
  /** Camera height above the capsule bottom, m. Default 1.6. */
  eyeHeight?: number;
  /** Full walking speed, m/s. Default 4 (0.2 m per 20 Hz tick). */
  walkSpeed?: number;
  /** Horizontal acceleration on the ground / in the air, m/s². Defaults 30 / 8: momentum, not instant stops. */
  acceleration?: number;
  airAcceleration?: number;
  /** Downward acceleration, m/s². Default 20 (snappier than 9.81, as games do). */
  gravity?: number;
  /** Take-off speed of a jump, m/s. Default 6 (≈ 0.9 m high). */
  jumpSpeed?: number;
  /** Highest step climbed without jumping, m. Default 0.3. */
  stepHeight?: number;
  /** Steepest slope walked up, degrees. Default 45. */
  maxSlopeDegrees?: number;
  /** Mass used to push dynamic bodies, kg. Default 70. */
  mass?: number;
  /** |pitch| limit, radians. Default 1.45 (just under straight up/down). */
  pitchLimit?: number;
  /** Reach and impulse (N·s) of `interact`. Defaults 2.5 m and 6. */
  interactReach?: number;
  interactImpulse?: number;
}

const _desired = { x: 0, y: 0, z: 0 };
const _next = { x: 0, y: 0, z: 0 };
const _axes = headingAxes(0);

/**
 * A first-person character on Rapier's KinematicCharacterController: a capsule that walks with
 * momentum, falls, jumps, climbs steps and slopes, slides along walls (never through them) and
 * pushes dynamic bodies. Turns an `Intent` into resolved motion one fixed physics step at a
 * time; `pose` is the camera's. Owns a rigid body, a collider and the controller: `dispose()`.
 */
export class CharacterController {
  readonly pose: Pose = { x: 0, y: 0, z: 0, yaw: 0, pitch: 0 };
  /** Velocity after the last step, m/s. */
  readonly velocity = { x: 0, y: 0, z: 0 };
  /** Standing on something after the last step. */
  grounded = false;
  /** Fraction of the wanted horizontal progress the last step lost to obstacles, in [0, 1]. */
  blocked = 0;
  /** The intent applied on each fixed step until changed. */
  intent: Intent = { ...IDLE_INTENT };

  private readonly physics: PhysicsWorld;
  private readonly body: RigidBody;
  private readonly collider: Collider;
  private readonly controller: KinematicCharacterController;
  private readonly ray: Ray;
  private readonly options: Required<CharacterControllerOptions>;
  private readonly centreToEye: number;
  private readonly centreHeight: number;
  private interactLatched = false;
  private disposed = false;

  constructor(physics: PhysicsWorld, spawn: SpawnPoint, options: CharacterControllerOptions = {}) {
    this.physics = physics;
    const o = (this.options = {
      radius: 0.3,
      height: 1.75,
      eyeHeight: DEFAULT_EYE_HEIGHT,
      walkSpeed: 4,
      acceleration: 30,
      airAcceleration: 8,
      gravity: 20,
      jumpSpeed: 6,
      stepHeight: 0.3,
      maxSlopeDegrees: 45,
      mass: 70,
      pitchLimit: 1.45,
      interactReach: 2.5,
      interactImpulse: 6,
      ...options,
    });
    if (o.height < 2 * o.radius) throw new NextframeError('bad-options', `CharacterController: height ${o.height} m must be at least twice the radius ${o.radius} m.`);
    const { rapier, world } = physics;
    const halfHeight = o.height / 2 - o.radius; // of the capsule's cylinder part
    this.centreHeight = o.height / 2;
    this.centreToEye = o.eyeHeight - this.centreHeight;
    this.body = world.createRigidBody(rapier.RigidBodyDesc.kinematicPositionBased().setTranslation(spawn.x, spawn.y + this.centreHeight + 0.02, spawn.z));
    this.collider = world.createCollider(rapier.ColliderDesc.capsule(halfHeight, o.radius), this.body);
    this.controller = world.createCharacterController(0.02);
    this.controller.setUp({ x: 0, y: 1, z: 0 });
    this.controller.enableAutostep(o.stepHeight, 0.15, false);
    this.controller.enableSnapToGround(0.25);
    this.controller.setMaxSlopeClimbAngle((o.maxSlopeDegrees * Math.PI) / 180);
    this.controller.setMinSlopeSlideAngle(((o.maxSlopeDegrees + 5) * Math.PI) / 180);
    this.controller.setApplyImpulsesToDynamicBodies(true);
    this.controller.setCharacterMass(o.mass);
    this.ray = new rapier.Ray({ x: 0, y: 0, z: 0 }, { x: 0, y: 0, z: -1 });
    this.pose.yaw = spawn.yaw;
    physics.refreshQueries();
    this.readPose();
  }

  /** Move to a spawn point at rest. */
  teleport(spawn: SpawnPoint): void {
    this.assertLive('teleport');
    this.body.setTranslation({ x: spawn.x, y: spawn.y + this.centreHeight + 0.02, z: spawn.z }, true);
    this.velocity.x = this.velocity.y = this.velocity.z = 0;
    this.pose.yaw = spawn.yaw;
    this.pose.pitch = 0;
    this.physics.refreshQueries();
    this.readPose();
  }

  /**
   * One fixed physics step under `this.intent`: turn, accelerate towards the wanted velocity,
   * resolve against the world, and queue the kinematic move for the world step that follows.
   * Call it from `PhysicsWorld.advance(seconds, (dt) => controller.step(dt))`.
   */
  step(dt: number): void {
    this.assertLive('step');
    const o = this.options;
    const intent = this.intent;
    this.pose.yaw = wrapAngle(this.pose.yaw + intent.yawRate * dt);
    this.pose.pitch = Math.max(-o.pitchLimit, Math.min(o.pitchLimit, this.pose.pitch + intent.pitchRate * dt));

    // Wanted horizontal velocity in the world, from the camera's heading.
    let f = clamp1(intent.forward);
    let s = clamp1(intent.strafe);
    const length = Math.hypot(f, s);
    if (length > 1) {
      f /= length;
      s /= length;
    }
    const axes = headingAxes(this.pose.yaw, _axes);
    const wantX = (axes.forwardX * f + axes.rightX * s) * o.walkSpeed;
    const wantZ = (axes.forwardZ * f + axes.rightZ * s) * o.walkSpeed;
    const accel = (this.grounded ? o.acceleration : o.airAcceleration) * dt;
    const v = this.velocity;
    const ex = wantX - v.x;
    const ez = wantZ - v.z;
    const e = Math.hypot(ex, ez);
    const k = e > accel ? accel / e : 1;
    v.x += ex * k;
    v.z += ez * k;
    if (this.grounded && intent.jump) v.y = o.jumpSpeed;
    // On the ground, snap-to-ground holds the character down; pressing into the floor every
    // step makes Rapier's controller stall now and then, so gravity acts only off the ground.
    if (!this.grounded || v.y > 0) v.y -= o.gravity * dt;

    _desired.x = v.x * dt;
    _desired.y = v.y * dt;
    _desired.z = v.z * dt;
    this.controller.computeColliderMovement(this.collider, _desired, this.physics.rapier.QueryFilterFlags.EXCLUDE_SENSORS);
    const moved = this.controller.computedMovement();
    this.grounded = this.controller.computedGrounded();
    // Progress along the wanted direction: sliding along a wall at a shallow angle still counts as partly blocked.
    const wanted2 = _desired.x * _desired.x + _desired.z * _desired.z;
    const progress = moved.x * _desired.x + moved.z * _desired.z;
    this.blocked = wanted2 > 1e-12 ? Math.max(0, Math.min(1, 1 - progress / wanted2)) : 0;
    // Momentum follows what really happened: walking into a wall does not store speed.
    v.x = moved.x / dt;
    v.z = moved.z / dt;
    if (this.grounded && v.y < 0) v.y = 0;
    else if (moved.y > _desired.y + 1e-6 && v.y < 0) v.y = moved.y / dt; // landed on or stepped up

    const at = this.body.translation();
    _next.x = at.x + moved.x;
    _next.y = at.y + moved.y;
    _next.z = at.z + moved.z;
    this.body.setNextKinematicTranslation(_next);

    if (intent.interact && !this.interactLatched) this.push();
    this.interactLatched = intent.interact;
  }

  /** Refresh `pose` from the body after the world has stepped. */
  readPose(): Pose {
    const at = this.body.translation();
    this.pose.x = at.x;
    this.pose.y = at.y + this.centreToEye;
    this.pose.z = at.z;
    return this.pose;
  }

  /** Height of the capsule bottom (the feet). */
  get feetY(): number {
    return this.body.translation().y - this.centreHeight;
  }

  /** The character's own rigid body (e.g. to exclude it from queries). */
  get rigidBody(): RigidBody {
    return this.body;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Remove the controller, body and collider from the world. Safe after the world is gone. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.physics.isDisposed) return;
    this.physics.world.removeCharacterController(this.controller);
    this.physics.world.removeRigidBody(this.body);
  }

  /** Shove the dynamic body the camera looks at, if it is within reach. */
  private push(): void {
    const { rapier, world } = this.physics;
    this.ray.origin.x = this.pose.x;
    this.ray.origin.y = this.pose.y;
    this.ray.origin.z = this.pose.z;
    cameraForward(this.pose.yaw, this.pose.pitch, this.ray.dir);
    const flags = rapier.QueryFilterFlags.EXCLUDE_FIXED | rapier.QueryFilterFlags.EXCLUDE_KINEMATIC;
    const hit = world.castRay(this.ray, this.options.interactReach, true, flags);
    const body = hit?.collider.parent();
    if (!body || !body.isDynamic()) return;
    const j = this.options.interactImpulse;
    const axes = headingAxes(this.pose.yaw, _axes);
    body.applyImpulse({ x: axes.forwardX * j, y: 0.3 * j, z: axes.forwardZ * j }, true);
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `CharacterController: ${method}() called after dispose(); create a new controller.`);
  }
}

function clamp1(v: number): number {
  return Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
}
