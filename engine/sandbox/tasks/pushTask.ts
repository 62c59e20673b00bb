import { headingTo } from '../../../worldmodel/geometry/heading.ts';
import type { SeededRandom } from '../../../worldmodel/SeededRandom.ts';
import { NextframeError } from '../../../worldmodel/index.ts';
import { type DynamicObject, footprint, type SceneDescription, type SpawnPoint } from '../../runtime/index.ts';
import { landmarkTarget, PILLARS, type LandmarkTarget } from './landmarkTargets.ts';
import type { PolicyTask, TaskEpisode, TaskState, TaskStatus, TaskTarget } from './PolicyTask.ts';
import { clamp01 } from './spawnAround.ts';

export interface PushTaskOptions {
  /** Goal landmarks (one drawn per episode). Default: the four pillars. */
  goals?: readonly string[];
  /** The ball to push: a `ball` of the scene's dynamics. Default `ball-0`. */
  ball?: string;
  /** Success: the ball's centre within this horizontal distance of the goal's centre, m. Default 1.6. */
  goalRadius?: number;
  /** The ball starts this far from the goal's centre, m. Default 3.5. */
  ballDistance?: number;
  /**
   * The player starts this far behind the ball (on the side away from the goal), m. Default 3: at
   * 2 m a ball on the floor sits at the bottom edge of a 70° view.
   */
  standOff?: number;
  /**
   * The start is off the goal–ball line by up to this angle, radians, seen from the ball. Default
   * 0.2: walking straight into the ball then still sends it into the zone (about 0.45 rad wide).
   */
  offLine?: number;
  /** The player faces up to this angle away from the ball, radians: it may have to turn to see it. Default 0.6. */
  lookAway?: number;
  /** Default 200 ticks (10 s at 20 Hz). */
  maxTicks?: number;
}

/**
 * Push a ball into a goal zone around a landmark. The episode keeps one ball of the scene (the
 * other dynamic objects are removed), lays it `ballDistance` from the goal, and stands the player
 * behind it, roughly facing the ball and the goal beyond it, so walking into the ball or pressing
 * `interact` at it moves it towards the goal. The observation's target is the ball; its goal is
 * the landmark. Reward: the distance the ball closed on the goal as a share of its start, a tenth
 * as much for the player closing on the ball, and 1 on success.
 */
export function pushTask(options: PushTaskOptions = {}): PolicyTask {
  const goals = options.goals ?? PILLARS;
  const ballId = options.ball ?? 'ball-0';
  const goalRadius = options.goalRadius ?? 1.6;
  const ballDistance = options.ballDistance ?? 3.5;
  const standOff = options.standOff ?? 3;
  const offLine = options.offLine ?? 0.2;
  const lookAway = options.lookAway ?? 0.6;
  if (!(ballDistance > goalRadius)) throw new NextframeError('bad-options', `pushTask: ballDistance (${ballDistance} m) must exceed goalRadius (${goalRadius} m), or the ball starts in the goal; raise ballDistance or lower goalRadius.`);
  return {
    name: 'push',
    maxTicks: options.maxTicks ?? 200,
    begin(scene: SceneDescription, rng: SeededRandom): TaskEpisode {
      const ball = scene.dynamics.find((d) => d.id === ballId);
      if (!ball || ball.kind !== 'ball') throw new NextframeError('bad-task', `pushTask: scene "${scene.id}" has no ball "${ballId}"; its balls: ${scene.dynamics.filter((d) => d.kind === 'ball').map((d) => d.id).join(', ') || 'none'}. Pass ballId of one of them, or use a scene with a ball.`);
      const goal = landmarkTarget(scene, goals[Math.floor(rng.nextFloat() * goals.length)]!);
      const color = scene.materials[ball.material]?.color ?? 0;
      for (let attempt = 0; attempt < 400; attempt++) {
        const heading = rng.nextFloat() * 2 * Math.PI; // from the goal out to the ball
        const off = (rng.nextFloat() * 2 - 1) * offLine;
        const look = (rng.nextFloat() * 2 - 1) * lookAway;
        const bx = goal.x + Math.cos(heading) * ballDistance;
        const bz = goal.z + Math.sin(heading) * ballDistance;
        const px = bx + Math.cos(heading + off) * standOff;
        const pz = bz + Math.sin(heading + off) * standOff;
        if (!clear(scene, bx, bz, ball.radius + 0.4, goal.id) || !clear(scene, px, pz, 0.8)) continue;
        // Face the ball, then turn by `look`.
        const yaw = headingTo(bx - px, bz - pz) + look;
        const placed: DynamicObject = { ...ball, position: [bx, ball.radius, bz] };
        return new PushEpisode(goal, { id: ball.id, color }, placed, { x: px, y: scene.spawn.floorY, z: pz, yaw }, goalRadius);
      }
      throw new NextframeError('no-spawn', `pushTask: found no clear ball and start ${ballDistance} m from "${goal.id}" after 400 tries; lower ballDistance or standOff.`);
    },
  };
}

class PushEpisode implements TaskEpisode {
  readonly instruction: string;
  readonly dynamics: readonly DynamicObject[];
  private readonly startBall: number;
  private readonly startReach: number;
  private lastBall: number;
  private lastReach: number;
  private done = false;

  constructor(
    private readonly goalTarget: LandmarkTarget,
    private readonly ball: TaskTarget,
    placed: DynamicObject,
    readonly spawn: SpawnPoint,
    private readonly goalRadius: number,
  ) {
    this.instruction = `push the ball to the ${goalTarget.name}`;
    this.dynamics = [placed];
    const [bx, , bz] = placed.position;
    this.startBall = this.lastBall = Math.hypot(bx - goalTarget.x, bz - goalTarget.z);
    this.startReach = this.lastReach = Math.max(1, Math.hypot(bx - spawn.x, bz - spawn.z));
  }

  target(): TaskTarget {
    return this.ball;
  }

  goal(): LandmarkTarget {
    return this.goalTarget;
  }

  evaluate(state: TaskState): TaskStatus {
    const at = state.objects.get(this.ball.id);
    if (!at) throw new NextframeError('bad-input', `pushTask: the physics state has no "${this.ball.id}"; evaluate the state of the scene the episode began in.`);
    const d = Math.hypot(at.x - this.goalTarget.x, at.z - this.goalTarget.z);
    const reach = Math.hypot(at.x - state.pose.x, at.z - state.pose.z);
    const success = this.done || d <= this.goalRadius;
    const reward = (this.lastBall - d) / this.startBall + (0.1 * (this.lastReach - reach)) / this.startReach + (success && !this.done ? 1 : 0);
    this.lastBall = d;
    this.lastReach = reach;
    this.done = success;
    return { reward, success, progress: success ? 1 : clamp01(1 - (d - this.goalRadius) / (this.startBall - this.goalRadius)) };
  }
}

/** (x, z) is inside the walls and `margin` clear of every static shape that reaches the floor (except `allow`). */
function clear(scene: SceneDescription, x: number, z: number, margin: number, allow?: string): boolean {
  const { halfX, halfZ } = scene.bounds;
  if (Math.abs(x) > halfX - margin || Math.abs(z) > halfZ - margin) return false;
  return scene.statics.every((s) => {
    if (s.id === allow) return true;
    const f = footprint(s);
    if (f.bottom > 1.5 || f.top < 0.05) return true; // overhead (lintel, canopy) or the floor
    return x < f.minX - margin || x > f.maxX + margin || z < f.minZ - margin || z > f.maxZ + margin;
  });
}
