import RAPIER from '@dimforge/rapier3d-compat';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearingTo, IN_VIEW, OUT_OF_VIEW, REVISIT_SEED, revisitProblem, revisitTrajectories, type RevisitTrajectory } from '../../../engine/bench/revisitTrajectories.ts';
import { parseTrajectories } from '../../../engine/bench/parseTrajectories.ts';
import { wrapAngle } from '../../../engine/physics/Pose.ts';
import { ReplayPlayer } from '../../../engine/players/ReplayPlayer.ts';
import { EpisodeSimulator } from '../../../engine/recorder/EpisodeSimulator.ts';
import { arenaScene } from '../../../engine/scene/arenaScene.ts';

/** K of the arena model; the built-in set must leave the place for ≥ 3·K ticks. */
const K = 4;
let set: RevisitTrajectory[];

describe('revisitTrajectories', () => {
  beforeAll(async () => {
    await RAPIER.init();
    set = await revisitTrajectories();
  });

  it('makes six seeded trajectories outside the training seeds, half returning from the side', async () => {
    expect(set.map((t) => t.seed)).toEqual([0, 1, 2, 3, 4, 5].map((i) => REVISIT_SEED + i));
    expect(REVISIT_SEED).toBeGreaterThanOrEqual(700_000);
    expect(set.map((t) => t.returnFrom)).toEqual(['same', 'side', 'same', 'side', 'same', 'side']);
    expect(new Set(set.map((t) => t.landmark)).size).toBe(6);
    // Same seed, same trajectories; another seed, other ones.
    const again = await revisitTrajectories({ count: 2 });
    expect(again).toEqual(set.slice(0, 2));
    const other = await revisitTrajectories({ seed: REVISIT_SEED + 50, count: 1 });
    expect(other[0]!.intents).not.toEqual(set[0]!.intents);
    for (const t of set) {
      expect(t.intents.length).toBeGreaterThanOrEqual(150);
      expect(t.intents.length).toBeLessThanOrEqual(260);
      expect(t.phases).toHaveLength(t.intents.length);
      expect(t.poses).toHaveLength(t.intents.length + 1);
      // Valid as a trajectories file.
      expect(parseTrajectories([{ name: t.name, start: t.start, intents: t.intents, phases: t.phases }])).toHaveLength(1);
    }
  });

  it('look, leave the place out of view for ≥ 3·K ticks, and come back looking at it', () => {
    for (const t of set) {
      expect(revisitProblem(t, 3 * K), t.name).toBeNull();
      const phase = (f: number) => t.phases[Math.max(0, f - 1)];
      const frames = t.poses.map((_, f) => f);
      const looks = frames.filter((f) => phase(f) === 'look');
      const returns = frames.filter((f) => phase(f) === 'return');
      // Phases in order: look, then away, then return.
      expect(Math.max(...looks)).toBeLessThan(Math.min(...returns));
      expect(looks.length).toBeGreaterThan(3 * K);
      expect(returns.length).toBeGreaterThan(3 * K);
      // The first visit looks at the place …
      for (const f of looks) expect(Math.abs(bearingTo(t.poses[f]!, t.target.x, t.target.z)), t.name).toBeLessThan(IN_VIEW);
      // … which is then out of view for at least 30 ticks in a row (≥ 3·K for K ≤ 10) …
      let run = 0;
      let longest = 0;
      for (let f = Math.max(...looks) + 1; f < returns[0]!; f++) {
        run = Math.abs(bearingTo(t.poses[f]!, t.target.x, t.target.z)) > OUT_OF_VIEW ? run + 1 : 0;
        longest = Math.max(longest, run);
      }
      expect(longest, t.name).toBeGreaterThanOrEqual(30);
      // … and every return frame looks at it again from within 8 m.
      for (const f of returns) {
        const p = t.poses[f]!;
        expect(Math.abs(bearingTo(p, t.target.x, t.target.z)), `${t.name} frame ${f}`).toBeLessThan(IN_VIEW);
        expect(Math.hypot(p.x - t.target.x, p.z - t.target.z)).toBeLessThan(8);
      }
      // Same-viewpoint returns come back to where the first visit stood; side returns stand ≥ 40° around the place.
      const a = t.poses[0]!;
      const b = t.poses[returns[0]!]!;
      const around = Math.abs(wrapAngle(Math.atan2(a.z - t.target.z, a.x - t.target.x) - Math.atan2(b.z - t.target.z, b.x - t.target.x)));
      if (t.returnFrom === 'same') expect(Math.hypot(a.x - b.x, a.z - b.z), t.name).toBeLessThan(0.8);
      else expect(around, t.name).toBeGreaterThan((40 * Math.PI) / 180);
    }
  });

  it('replay exactly: the intents from the start pose give the planned poses', () => {
    for (const t of set.slice(0, 2)) {
      const sim = new EpisodeSimulator({ scene: arenaScene(0), rapier: RAPIER, seed: t.seed, policy: 'replay', player: new ReplayPlayer(t.intents), start: t.start });
      const poses = [{ ...sim.pose }];
      for (let i = 0; i < t.intents.length; i++) {
        sim.step();
        poses.push({ ...sim.pose });
      }
      sim.dispose();
      expect(poses).toEqual(t.poses);
    }
  });
});
