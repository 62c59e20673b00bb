import type { SceneLayout } from '../../runtime/index.ts';
import type { PlayerObservation } from './ScriptedPlayer.ts';
import { SegmentPlayer } from './SegmentPlayer.ts';

/**
 * The default player: wanders the way people do when they first look around a place. Walks
 * with momentum in fairly straight lines, glances about, stops to look around, sidesteps,
 * hops, bumps into walls and backs off, shoves objects it passes, and now and then turns back
 * to somewhere it has already been.
 */
export class WanderPlayer extends SegmentPlayer {
  readonly name = 'wander';

  constructor(scene: SceneLayout, seed: number) {
    super(scene, seed);
  }

  protected plan(obs: PlayerObservation): void {
    this.levelView(obs.pose.pitch);
    const { speed, turnRate } = this.style;
    const r = this.rng.nextFloat();
    if (r < 0.34) {
      // Walk ahead (after turning to open space if a wall is near), sometimes hopping.
      if (obs.ahead < 4) this.push({ kind: 'aim', ticks: 40, heading: this.openHeading(obs, 0), rate: turnRate, forward: 0 });
      const jump = this.chance(0.12);
      this.push(this.hold(this.int(15, 50), { forward: speed, jump }));
      if (this.chance(0.4)) this.push(this.hold(this.int(5, 25)));
    } else if (r < 0.46) {
      // Turn to a new direction with room ahead, then walk.
      const heading = this.openHeading(obs, 1);
      this.push({ kind: 'aim', ticks: 40, heading, rate: turnRate, forward: this.chance(0.5) ? speed * 0.6 : 0 });
      this.push(this.hold(this.int(15, 50), { forward: speed }));
    } else if (r < 0.56) {
      // Stop and look around.
      this.push(this.hold(this.int(3, 10)));
      this.lookAround(obs, this.int(1, 4));
    } else if (r < 0.66) {
      // Go back to a place already seen.
      const place = this.pastPlace(obs, 100);
      if (place) {
        this.push({ kind: 'aim', ticks: 40, heading: this.headingTo(obs, place.x, place.z), rate: turnRate, forward: 0 });
        this.push({ kind: 'goto', ticks: 160, x: place.x, z: place.z, radius: 1.5, speed, rate: turnRate });
      } else {
        this.push(this.hold(this.int(20, 50), { forward: speed }));
      }
    } else if (r < 0.76) {
      // Walk to the nearest ball or crate and shove it.
      const target = this.nearestObject(obs, 9);
      if (target) {
        this.push({ kind: 'aim', ticks: 40, heading: this.headingTo(obs, target.x, target.z), rate: turnRate, forward: 0 });
        this.push({ kind: 'goto', ticks: 100, x: target.x, z: target.z, radius: 1.2, speed, rate: turnRate });
        this.push(this.hold(this.int(1, 3), { interact: true }), this.hold(this.int(8, 20), { forward: speed }));
      } else {
        this.push(this.hold(this.int(20, 50), { forward: speed }));
      }
    } else if (r < 0.84) {
      // Sidestep, sometimes while walking.
      const forward = this.chance(0.5) ? speed : 0;
      this.push(this.hold(this.int(6, 16), { forward, strafe: this.chance(0.5) ? 1 : -1 }));
    } else {
      // Stand idle.
      this.push(this.hold(this.int(15, 45)));
    }
  }
}
