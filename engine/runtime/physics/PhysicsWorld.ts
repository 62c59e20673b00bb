import type { Collider, RigidBody, World } from '@dimforge/rapier3d-compat';
import type { RapierModule } from './rapierTypes.ts';
import { NextframeError } from '../../../worldmodel/errors.ts';

/** Physics steps at a fixed 1/60 s, whatever the display or model tick rate. */
export const FIXED_STEP = 1 / 60;

export interface DynamicBody {
  id: string;
  kind: 'ball' | 'crate';
  body: RigidBody;
}

/**
 * A Rapier world with its fixed-step accumulator. Static colliders are the proxy geometry (what
 * depth rays hit); dynamic bodies are the overlay objects (balls, crates). Owns wasm memory:
 * call `dispose()`.
 */
export class PhysicsWorld {
  readonly rapier: RapierModule;
  readonly world: World;
  /** Static colliders by scene shape id. */
  readonly statics = new Map<string, Collider>();
  readonly dynamics: DynamicBody[] = [];
  /** Fixed steps taken since creation. */
  steps = 0;
  private accumulator = 0;
  private disposed = false;

  constructor(rapier: RapierModule, gravity = -9.81) {
    this.rapier = rapier;
    this.world = new rapier.World({ x: 0, y: gravity, z: 0 });
    this.world.timestep = FIXED_STEP;
  }

  /**
   * Advance by `seconds` of simulated time in fixed steps; `beforeStep` runs before each step
   * (character controllers move there). Returns the number of steps taken; the remainder waits
   * in the accumulator (`alpha` says how far into the next step it is, for interpolation).
   */
  advance(seconds: number, beforeStep?: (dt: number) => void): number {
    this.assertLive('advance');
    this.accumulator += seconds;
    let taken = 0;
    // The epsilon keeps 3 × (1/60) from leaving a step behind through rounding.
    while (this.accumulator >= FIXED_STEP - 1e-9) {
      beforeStep?.(FIXED_STEP);
      this.world.step();
      this.accumulator -= FIXED_STEP;
      this.steps++;
      taken++;
    }
    if (this.accumulator < 0) this.accumulator = 0;
    return taken;
  }

  /** Fraction of a fixed step waiting in the accumulator, in [0, 1). */
  get alpha(): number {
    return this.accumulator / FIXED_STEP;
  }

  /** Update the scene-query structures without simulating (after adding colliders). */
  refreshQueries(): void {
    this.assertLive('refreshQueries');
    const { timestep } = this.world;
    // A zero-length step rebuilds the broad phase (what ray casts use) but moves nothing.
    this.world.timestep = 0;
    this.world.step();
    this.world.timestep = timestep;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Free the wasm world (colliders, bodies, controllers created in it go with it). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.statics.clear();
    this.dynamics.length = 0;
    this.world.free();
  }

  private assertLive(method: string): void {
    if (this.disposed) throw new NextframeError('disposed', `PhysicsWorld: ${method}() called after dispose(); build a new world.`);
  }
}
