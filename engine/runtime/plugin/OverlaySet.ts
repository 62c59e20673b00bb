import type { RigidBody } from '@dimforge/rapier3d-compat';
import { type Frustum, Matrix4, Mesh, MeshLambertMaterial, type Object3D, Quaternion, type Scene, Sphere, SphereGeometry, Vector3 } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import { dynamicColliderForMesh, placementOf } from './proxyColliders.ts';

export interface ThrowOptions {
  /** Ball radius, m. Default 0.15. */
  radius?: number;
  /** kg. Default 1. */
  mass?: number;
  /** Launch speed, m/s. Default 11. */
  speed?: number;
  /** sRGB colour. Default 0xff5a1f. */
  color?: number;
  /** Balls kept at once; the oldest is reused after that. Default 12. */
  max?: number;
}

/** An overlay object and the rigid body that moves it. */
export interface Overlay {
  object: Object3D;
  body: RigidBody;
  /** Bounding radius, m, for the on-screen test (Infinity when unknown). */
  radius: number;
}

type Vec = { x: number; y: number; z: number };

const _matrix = new Matrix4();
const _parentInverse = new Matrix4();
const _position = new Vector3();
const _quaternion = new Quaternion();
const _scale = new Vector3();
const _sphere = new Sphere();

/**
 * The physics-driven objects drawn over the world frame: marked scene objects and thrown balls.
 * Copies body poses onto objects each frame and says whether any moved where the camera sees
 * it (only then must the frame be drawn again). Owns the bodies it created, the thrown balls'
 * meshes, geometry and material: `dispose()`.
 */
export class OverlaySet {
  readonly throwing: Required<ThrowOptions> | null;
  private readonly physics: PhysicsWorld;
  private readonly scene: Scene;
  private readonly marked: Overlay[] = [];
  private readonly thrown: Overlay[] = [];
  private readonly createdBodies: RigidBody[] = [];
  private ballGeometry: SphereGeometry | null = null;
  private ballMaterial: MeshLambertMaterial | null = null;
  private readonly objectList: Object3D[] = [];

  constructor(physics: PhysicsWorld, scene: Scene, throwing: ThrowOptions | false = {}) {
    this.physics = physics;
    this.scene = scene;
    this.throwing = throwing === false ? null : { radius: 0.15, mass: 1, speed: 11, color: 0xff5a1f, max: 12, ...throwing };
  }

  /** Add an overlay with its body, or with a dynamic body made from the mesh's shape. Marking it again returns the body it has. */
  mark(object: Object3D, options: { body?: RigidBody; mass?: number } = {}): RigidBody {
    // A second entry would hide it for good: the overlay pass restores visibility in order.
    const known = this.marked.find((o) => o.object === object);
    if (known) return known.body;
    let body = options.body;
    if (!body) {
      const mesh = object as Mesh;
      if (!mesh.isMesh) throw new NextframeError('bad-input', 'WorldModelPlugin: markOverlay needs a Mesh to shape a body from, or options.body for other objects.');
      const { rapier, world } = this.physics;
      const at = placementOf(mesh);
      body = world.createRigidBody(rapier.RigidBodyDesc.dynamic().setTranslation(at.position.x, at.position.y, at.position.z).setRotation(at.rotation).setLinearDamping(0.3).setAngularDamping(0.4));
      world.createCollider(dynamicColliderForMesh(mesh, rapier).setMass(options.mass ?? 1).setFriction(0.6).setRestitution(0.3), body);
      this.createdBodies.push(body);
    }
    this.marked.push({ object, body, radius: radiusOf(object) });
    return body;
  }

  /** Launch a ball from `from` with `velocity`; after `max` balls the oldest is reused. */
  throwBall(from: Vec, velocity: Vec): RigidBody | null {
    const t = this.throwing;
    if (!t) return null;
    let ball: Overlay;
    if (this.thrown.length < t.max) {
      const { rapier, world } = this.physics;
      const body = world.createRigidBody(rapier.RigidBodyDesc.dynamic().setLinearDamping(0.1).setAngularDamping(0.3).setCcdEnabled(true));
      world.createCollider(rapier.ColliderDesc.ball(t.radius).setMass(t.mass).setRestitution(0.5).setFriction(0.6), body);
      this.ballGeometry ??= new SphereGeometry(t.radius, 16, 12);
      this.ballMaterial ??= new MeshLambertMaterial({ color: t.color });
      const mesh = new Mesh(this.ballGeometry, this.ballMaterial);
      mesh.name = `thrown-ball-${this.thrown.length}`;
      mesh.castShadow = true;
      this.scene.add(mesh);
      ball = { object: mesh, body, radius: t.radius };
    } else {
      ball = this.thrown.shift()!;
    }
    this.thrown.push(ball);
    ball.body.setTranslation(from, true);
    ball.body.setRotation({ x: 0, y: 0, z: 0, w: 1 }, true);
    ball.body.setLinvel(velocity, true);
    ball.body.setAngvel({ x: 0, y: 0, z: 0 }, true);
    this.syncOne(ball, null);
    return ball.body;
  }

  /** Marked overlays, then thrown balls. */
  get all(): readonly Overlay[] {
    return [...this.marked, ...this.thrown];
  }

  /** The overlay objects (a reused list). */
  objects(): readonly Object3D[] {
    const list = this.objectList;
    list.length = 0;
    for (const o of this.marked) list.push(o.object);
    for (const o of this.thrown) list.push(o.object);
    return list;
  }

  /** Move every object to its body; returns whether one moved inside `frustum` (or was there before). */
  sync(frustum: Frustum): boolean {
    let seen = false;
    for (const overlay of this.marked) seen = this.syncOne(overlay, frustum) || seen;
    for (const overlay of this.thrown) seen = this.syncOne(overlay, frustum) || seen;
    return seen;
  }

  /** Remove the thrown balls and created bodies; free the balls' geometry and material. */
  dispose(removeBodies: boolean): void {
    for (const { object } of this.thrown) this.scene.remove(object);
    this.ballGeometry?.dispose();
    this.ballMaterial?.dispose();
    if (removeBodies && !this.physics.isDisposed) {
      for (const { body } of this.thrown) this.physics.world.removeRigidBody(body);
      for (const body of this.createdBodies) this.physics.world.removeRigidBody(body);
    }
    this.thrown.length = this.marked.length = this.createdBodies.length = 0;
  }

  private syncOne({ object, body, radius }: Overlay, frustum: Frustum | null): boolean {
    if (frustum && body.isSleeping()) return false;
    const t = body.translation();
    const r = body.rotation();
    _position.set(t.x, t.y, t.z);
    _quaternion.set(r.x, r.y, r.z, r.w);
    let seen = true;
    if (frustum) {
      _sphere.set(_position, radius);
      // Where it was drawn last counts too: an object that just left the view gets one more draw.
      seen = frustum.intersectsSphere(_sphere) || frustum.intersectsSphere(_sphere.set(object.position, radius));
    }
    const parent = object.parent;
    if (!parent || parent === this.scene) {
      object.position.copy(_position);
      object.quaternion.copy(_quaternion);
      return seen;
    }
    // Under a transformed parent: world pose → local.
    _scale.copy(object.scale);
    _matrix.compose(_position, _quaternion, _scale);
    parent.updateWorldMatrix(true, false);
    _parentInverse.copy(parent.matrixWorld).invert();
    _matrix.premultiply(_parentInverse).decompose(object.position, object.quaternion, _scale);
    return seen;
  }
}

/** A bounding radius for the on-screen test: the mesh's bounding sphere, scaled. */
function radiusOf(object: Object3D): number {
  const mesh = object as Mesh;
  if (!mesh.isMesh || mesh.children.length > 0) return Number.POSITIVE_INFINITY;
  mesh.geometry.computeBoundingSphere();
  const sphere = mesh.geometry.boundingSphere!;
  return (sphere.radius + sphere.center.length()) * Math.max(Math.abs(mesh.scale.x), Math.abs(mesh.scale.y), Math.abs(mesh.scale.z));
}
