import { NextframeError } from '../../../worldmodel/index.ts';
import { FIXED_STEP } from '../physics/PhysicsWorld.ts';

export interface TickClockOptions {
  /** Model ticks per second (the manifest's `tickHz`). */
  tickHz: number;
  /** Physics step, seconds. Default 1/60. */
  step?: number;
  /** Most real time one `advance` may simulate, seconds. Default 0.25: after a stall (a hidden tab, a slow frame) the world resumes instead of racing to catch up. */
  maxCatchUp?: number;
}

/** What the clock drives. */
export interface TickHandler {
  /** Run one fixed physics step of `dt` seconds. */
  step(dt: number): void;
  /** A tick's steps are done: can it be handed to the model now (is the model free)? */
  ready(): boolean;
  /** Hand the finished tick over; called once `ready()` says yes. */
  tick(): void;
}

/**
 * The game's two clocks in one: physics in fixed steps (1/60 s) from an accumulator, and world
 * model ticks of a whole number of steps (3 at 20 Hz). When a tick is finished but the model is
 * still painting the previous one, the simulation waits for it rather than running ahead: the
 * world model is always conditioned on every tick, in order, and physics is never more than one
 * tick ahead of the frame on screen. Pure logic, no timers: the caller passes elapsed time.
 */
export class TickClock {
  readonly step: number;
  readonly stepsPerTick: number;
  /** Effective ticks per second (tickHz rounded to a whole number of steps per tick). */
  readonly tickHz: number;
  /** Fixed steps and handed-over ticks so far. */
  steps = 0;
  ticks = 0;
  /** Whether the last `advance` stopped at a finished tick the model was not ready for. */
  waiting = false;
  private readonly maxCatchUp: number;
  private accumulator = 0;
  private stepInTick = 0;

  constructor(options: TickClockOptions) {
    if (!(options.tickHz > 0)) throw new NextframeError('bad-options', `TickClock: tickHz must be positive, found ${options.tickHz}.`);
    this.step = options.step ?? FIXED_STEP;
    this.maxCatchUp = options.maxCatchUp ?? 0.25;
    this.stepsPerTick = Math.max(1, Math.round(1 / (this.step * options.tickHz)));
    this.tickHz = 1 / (this.stepsPerTick * this.step);
  }

  /** Let `seconds` of real time pass; returns the physics steps taken. */
  advance(seconds: number, handler: TickHandler): number {
    this.accumulator = Math.min(this.accumulator + Math.max(0, seconds), this.maxCatchUp);
    let taken = 0;
    this.waiting = false;
    for (;;) {
      if (this.stepInTick === this.stepsPerTick) {
        if (!handler.ready()) {
          // The world waits for the model: keep at most one step in hand, so play resumes on the
          // next frame after the model frees up, without a burst of catch-up steps.
          this.accumulator = Math.min(this.accumulator, this.step);
          this.waiting = true;
          break;
        }
        handler.tick();
        this.ticks++;
        this.stepInTick = 0;
      }
      // The epsilon keeps 3 × (1/60) from leaving a step behind through rounding.
      if (this.accumulator < this.step - 1e-9) break;
      handler.step(this.step);
      this.accumulator = Math.max(0, this.accumulator - this.step);
      this.stepInTick++;
      this.steps++;
      taken++;
    }
    return taken;
  }

  /** Steps taken in the current tick so far. */
  get stepsIntoTick(): number {
    return this.stepInTick;
  }

  /** Start over: no time banked, at the start of a tick. */
  reset(): void {
    this.accumulator = 0;
    this.stepInTick = 0;
    this.waiting = false;
  }
}
