import type { Intent } from '../../runtime/index.ts';
import type { Pose } from '../../../worldmodel/geometry/Pose.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

/** What a tick of a revisit trajectory is: the first visit, away from the place, or back at it. */
export type Phase = 'look' | 'away' | 'return';
export const PHASES: readonly Phase[] = ['look', 'away', 'return'];

/**
 * A trajectory to replay: a start camera pose and one intent per tick. `intents[t]` drives
 * tick t → t + 1, so it has `intents.length + 1` frames; `phases[t]` is the phase of frame
 * t + 1 (frame 0 takes `phases[0]`).
 */
export interface Trajectory {
  name: string;
  start: Pose;
  intents: Intent[];
  phases?: Phase[];
}

/** Pitch limit of the character controller, radians. */
const PITCH_LIMIT = 1.45;
const MAX_INTENTS = 20_000;

/** `--trajectories FILE`'s format, for `--help`. */
export const TRAJECTORY_FORMAT_HELP = `Trajectories file (--trajectories FILE): a JSON list, one object per trajectory:
  [{ "name": "pillar-side",
     "start": { "x": 2, "y": 1.6, "z": 4, "yaw": 0.3, "pitch": 0 },
     "intents": [{ "forward": 0, "strafe": 0, "yawRate": 0.6, "pitchRate": 0, "jump": false, "interact": false }, …],
     "phases": ["look", …, "away", …, "return", …] }, …]
  start    camera pose of frame 0 in the scene, as in poses.npy: x, z metres (inside the scene's
           walkable bounds; ±12 in the arena), y eye height (1.6 on the floor; optional, default 1.6), yaw radians (0 looks
           down −z, + turns left), pitch radians (+ looks up; optional, default 0, |pitch| ≤ 1.45)
  intents  one per tick at 20 Hz; intents[t] leads from frame t to frame t + 1, so a trajectory
           has intents.length + 1 frames. forward, strafe in [−1, 1] of walking speed (4 m/s),
           yawRate, pitchRate in rad/s (|·| ≤ 20), jump, interact booleans; a missing field is
           0 / false
  phases   optional, one per intent: the phase of the frame that intent leads to ("look" = the
           first visit, "away", "return" = back at the place; frame 0 takes phases[0]). Without
           phases: "look" lasts until the camera first moves 1.5 m or turns 45° from the start,
           "return" is any later frame within 1.5 m and 30° of a first-visit view and at least
           3·K ticks after it, the rest is "away".
  Return frames are scored against the recorded truth and against the first-visit frame whose
  pose is closest; write the built-in set with --write-trajectories FILE for an example.`;

/**
 * Validate a parsed trajectories file (see TRAJECTORY_FORMAT_HELP). Throws one error listing
 * up to ten problems, each naming the field, what was expected and what was found.
 */
export function parseTrajectories(raw: unknown, source = 'trajectories', bounds: { halfX: number; halfZ: number } = { halfX: 12, halfZ: 12 }): Trajectory[] {
  const problems: string[] = [];
  const problem = (where: string, expected: string, found: unknown): void => {
    problems.push(`${where}: expected ${expected}, found ${describe(found)}`);
  };
  const note = (where: string, expected: string, found: string): void => {
    problems.push(`${where}: expected ${expected}, found ${found}`);
  };
  if (!Array.isArray(raw)) {
    throw new NextframeError('bad-trajectories', `${source}: expected a JSON list of trajectories ({ name, start, intents, phases? }), found ${describe(raw)}.`);
  }
  if (raw.length === 0) throw new NextframeError('bad-trajectories', `${source}: the list is empty; expected at least one trajectory.`);
  const names = new Set<string>();
  const result: Trajectory[] = [];
  raw.forEach((item: unknown, i) => {
    const at = `trajectory ${i}`;
    if (!isObject(item)) {
      problem(at, 'an object { name, start, intents, phases? }', item);
      return;
    }
    const name = item.name;
    const label = typeof name === 'string' ? `${at} ("${name}")` : at;
    if (typeof name !== 'string' || name.length === 0) problem(`${at}.name`, 'a non-empty string', name);
    else if (names.has(name)) problem(`${at}.name`, 'a name no other trajectory has', name);
    else names.add(name);

    const start = item.start;
    let pose: Pose | null = null;
    if (!isObject(start)) {
      problem(`${label}.start`, 'an object { x, y, z, yaw, pitch }', start);
    } else {
      const field = (key: string, fallback: number | null, check: (v: number) => boolean, expected: string): number => {
        const v = start[key] ?? fallback;
        if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
          problem(`${label}.start.${key}`, expected, start[key]);
          return 0;
        }
        return v;
      };
      pose = {
        x: field('x', null, (v) => Math.abs(v) <= bounds.halfX, `a number of metres in [−${bounds.halfX}, ${bounds.halfX}] (the scene's walkable bounds)`),
        // Eye height above y = 0: on hills and stairs it is the ground's height plus 1.6.
        y: field('y', 1.6, (v) => Math.abs(v) <= 1000, 'an eye height in metres (1.6 on flat ground at y = 0)'),
        z: field('z', null, (v) => Math.abs(v) <= bounds.halfZ, `a number of metres in [−${bounds.halfZ}, ${bounds.halfZ}] (the scene's walkable bounds)`),
        yaw: field('yaw', null, () => true, 'a finite number of radians'),
        pitch: field('pitch', 0, (v) => Math.abs(v) <= PITCH_LIMIT, `a number of radians in [−${PITCH_LIMIT}, ${PITCH_LIMIT}]`),
      };
    }

    const intents = item.intents;
    const parsed: Intent[] = [];
    if (!Array.isArray(intents) || intents.length < 1 || intents.length > MAX_INTENTS) {
      problem(`${label}.intents`, `a list of 1 to ${MAX_INTENTS} per-tick intents`, intents);
    } else {
      for (let t = 0; t < intents.length && problems.length < 10; t++) {
        const intent: unknown = intents[t];
        const where = `${label}.intents[${t}]`;
        if (!isObject(intent)) {
          problem(where, 'an object { forward, strafe, yawRate, pitchRate, jump, interact }', intent);
          continue;
        }
        const axis = (key: string, limit: number, unit: string): number => {
          const v = intent[key] ?? 0;
          if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > limit) {
            problem(`${where}.${key}`, `a number in [−${limit}, ${limit}]${unit}`, intent[key]);
            return 0;
          }
          return v;
        };
        const button = (key: string): boolean => {
          const v = intent[key] ?? false;
          if (typeof v !== 'boolean') {
            problem(`${where}.${key}`, 'true or false', intent[key]);
            return false;
          }
          return v;
        };
        for (const key of Object.keys(intent)) {
          if (!['forward', 'strafe', 'yawRate', 'pitchRate', 'jump', 'interact'].includes(key)) note(where, 'only forward, strafe, yawRate, pitchRate, jump, interact', `a field "${key}"`);
        }
        parsed.push({
          forward: axis('forward', 1, ' (fraction of walking speed)'),
          strafe: axis('strafe', 1, ' (fraction of walking speed)'),
          yawRate: axis('yawRate', 20, ' rad/s'),
          pitchRate: axis('pitchRate', 20, ' rad/s'),
          jump: button('jump'),
          interact: button('interact'),
        });
      }
    }

    const phases = item.phases;
    let parsedPhases: Phase[] | undefined;
    if (phases !== undefined) {
      const n = Array.isArray(intents) ? intents.length : 0;
      if (!Array.isArray(phases) || phases.length !== n) {
        problem(`${label}.phases`, `a list of ${n} phases, one per intent`, phases);
      } else {
        const bad = phases.findIndex((p) => !PHASES.includes(p as Phase));
        if (bad >= 0) problem(`${label}.phases[${bad}]`, '"look", "away" or "return"', phases[bad]);
        else if (!phases.includes('look')) note(`${label}.phases`, 'at least one "look" (first-visit) tick', 'none');
        else if (!phases.includes('return')) note(`${label}.phases`, 'at least one "return" tick', 'none');
        else parsedPhases = phases as Phase[];
      }
    }
    if (pose) result.push({ name: typeof name === 'string' ? name : `trajectory-${i}`, start: pose, intents: parsed, ...(parsedPhases ? { phases: parsedPhases } : {}) });
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 10);
    throw new NextframeError('bad-trajectories', `${source} is not a valid trajectories file (run bench-memory --help for the format):\n  ${shown.join('\n  ')}${problems.length > 10 ? `\n  … and ${problems.length - 10} more` : ''}`);
  }
  return result;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}
