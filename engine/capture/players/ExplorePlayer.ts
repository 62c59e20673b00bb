import type { SceneLayout } from '../../runtime/index.ts';
import type { Landmark } from './landmarks.ts';
import type { PlayerObservation } from './ScriptedPlayer.ts';
import { SegmentPlayer } from './SegmentPlayer.ts';

/**
 * A player with a purpose: walks from landmark to landmark (pillars, arch, ramp, tree, crates,
 * walls), looks at each, and often returns to one it visited before, so the data holds many
 * revisits of the same places from new angles: what spatial memory is judged on.
 */
export class ExplorePlayer extends SegmentPlayer {
  readonly name = 'explore';
  private readonly visited: Landmark[] = [];

  constructor(scene: SceneLayout, seed: number) {
    super(scene, seed);
  }

  protected plan(obs: PlayerObservation): void {
    this.levelView(obs.pose.pitch);
    const { speed, turnRate } = this.style;
    const revisit = this.visited.length >= 2 && this.chance(0.4);
    const pool = revisit ? this.visited.slice(0, -1) : this.landmarks.filter((l) => !this.visited.slice(-3).includes(l));
    const target = pool[Math.floor(this.rng.nextFloat() * pool.length)];
    if (!target) {
      this.push(this.hold(this.int(20, 40), { forward: speed }));
      return;
    }
    this.push({ kind: 'aim', ticks: 40, heading: this.headingTo(obs, target.x, target.z), rate: turnRate, forward: this.chance(0.4) ? speed * 0.5 : 0 });
    this.push({ kind: 'goto', ticks: 200, x: target.x, z: target.z, radius: this.uniform(2.2, 3.5), speed, rate: turnRate, jump: this.chance(0.08) });
    // Arrived: stop, look up at tall landmarks, glance around, level the view.
    this.push(this.hold(this.int(5, 30)));
    if (target.top > 2.5 && this.chance(0.3)) {
      const ticks = this.int(4, 8);
      this.push(this.hold(ticks, { pitchRate: 1 }), this.hold(this.int(4, 12)), this.hold(ticks, { pitchRate: -1 }));
    }
    if (this.chance(0.3)) this.lookAround(obs, this.int(1, 2));
    this.visited.push(target);
    if (this.visited.length > 12) this.visited.shift();
  }
}
