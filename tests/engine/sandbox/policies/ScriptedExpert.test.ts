import { describe, expect, it } from 'vitest';
import { BC_BACK, BC_STEP_LEFT, BC_STEP_RIGHT, BC_TURN_LEFT, BC_TURN_RIGHT, BC_WALK, BC_WALK_LEFT, BC_WALK_RIGHT } from '../../../../engine/sandbox/policies/bcActions.ts';
import { ScriptedExpert } from '../../../../engine/sandbox/policies/ScriptedExpert.ts';
import { headingError } from '../../../../worldmodel/geometry/heading.ts';

const pose = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }; // looking down −z

describe('ScriptedExpert', () => {
  it('measures heading errors with left positive', () => {
    expect(headingError(pose, { x: 0, z: -5 })).toBeCloseTo(0, 12);
    expect(headingError(pose, { x: -5, z: -5 })).toBeCloseTo(Math.PI / 4, 12); // ahead-left
    expect(headingError(pose, { x: 5, z: 0 })).toBeCloseTo(-Math.PI / 2, 12); // right
  });

  it('walks at a target ahead, bears toward one slightly off, and searches left for one out of view', () => {
    const expert = new ScriptedExpert();
    expect(expert.choose({ pose, speed: 3, target: { x: 0, z: -5 }, goal: null })).toBe(BC_WALK);
    expect(expert.choose({ pose, speed: 3, target: { x: -1.5, z: -5 }, goal: null })).toBe(BC_WALK_LEFT);
    expect(expert.choose({ pose, speed: 3, target: { x: 1.5, z: -5 }, goal: null })).toBe(BC_WALK_RIGHT);
    expect(expert.choose({ pose, speed: 3, target: { x: 2.6, z: -5 }, goal: null })).toBe(BC_TURN_RIGHT); // 27° right: in view
    // Behind on the right: a shorter turn would be right, but a one-frame student cannot know that.
    expect(expert.choose({ pose, speed: 3, target: { x: 5, z: 1 }, goal: null })).toBe(BC_TURN_LEFT);
  });

  it('pushing: steps to the side that puts the ball between it and the goal, then walks through', () => {
    const expert = new ScriptedExpert();
    // Goal straight ahead far away, ball ahead-left: the player must move left.
    expect(expert.choose({ pose, speed: 1, target: { x: -0.5, z: -2 }, goal: { x: 0, z: -10 } })).toBe(BC_STEP_LEFT);
    expect(expert.choose({ pose, speed: 1, target: { x: 0.5, z: -2 }, goal: { x: 0, z: -10 } })).toBe(BC_STEP_RIGHT);
    expect(expert.choose({ pose, speed: 1, target: { x: 0, z: -2 }, goal: { x: 0, z: -10 } })).toBe(BC_WALK);
  });

  it('backs off after walking without moving', () => {
    const expert = new ScriptedExpert();
    const blocked = { pose, speed: 0, target: { x: 0, z: -5 }, goal: null };
    // The first walk sets it going; five ticks without speed after it are enough.
    const choices = Array.from({ length: 6 }, () => expert.choose(blocked));
    expect(choices).toEqual([BC_WALK, BC_WALK, BC_WALK, BC_WALK, BC_WALK, BC_BACK]);
  });
});
