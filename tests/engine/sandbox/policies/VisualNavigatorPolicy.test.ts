import { describe, expect, it } from 'vitest';
import { goalColour } from '../../../../engine/sandbox/policies/goalColour.ts';
import { scenePalette } from '../../../../engine/sandbox/policies/scenePalette.ts';
import { VisualNavigatorPolicy } from '../../../../engine/sandbox/policies/VisualNavigatorPolicy.ts';
import type { Observation } from '../../../../engine/sandbox/types.ts';
import { arenaScene } from '../../../../engine/runtime/scene/arenaScene.ts';

const W = 64;
const H = 64;
const RED = 0xe0262b;
const BALL = 0xff5a1f;

/** A floor-coloured frame with rectangles of given colours at column ranges. */
function frame(...blobs: [number, number, [number, number, number]][]): Uint8Array {
  const image = new Uint8Array(W * H * 3);
  for (let p = 0; p < W * H; p++) image.set([205, 183, 140], 3 * p);
  for (const [c0, c1, rgb] of blobs) for (let row = 20; row < 50; row++) for (let col = c0; col < c1; col++) image.set(rgb, 3 * (row * W + col));
  return image;
}

function observe(image: Uint8Array, tick: number, yaw = 0, speed = 2, extra: Partial<Observation> = {}): Observation {
  return {
    image,
    width: W,
    height: H,
    proprio: { pose: { x: 0, y: 1.6, z: 0, yaw, pitch: 0 }, velocity: [0, -speed], tick },
    instruction: 'walk to the red pillar',
    target: { id: 'pillar-red', color: RED },
    ...extra,
  };
}

describe('VisualNavigatorPolicy', () => {
  it('walks while turning toward the target', () => {
    const policy = new VisualNavigatorPolicy();
    policy.reset();
    const action = policy.act(observe(frame([44, 52, [200, 30, 35]]), 0));
    expect(action.yawRate).toBeLessThan(0); // right
    expect(action.forward).toBeGreaterThan(0.3);
  });

  it('turns back to where it last saw the target once it is out of view', () => {
    const policy = new VisualNavigatorPolicy();
    policy.reset();
    policy.act(observe(frame([56, 64, [200, 30, 35]]), 0, 0)); // seen at the right edge (≈ 32° right)
    // Now facing 1 rad further left, the target is gone: it must turn right (negative), not search left.
    const action = policy.act(observe(frame(), 1, 1));
    expect(action.yawRate).toBeLessThan(-1);
  });

  it('searches in a walking arc when it has never seen the target', () => {
    const policy = new VisualNavigatorPolicy();
    policy.reset();
    const action = policy.act(observe(frame(), 0));
    expect(action.forward).toBeGreaterThan(0);
    expect(action.yawRate).toBe(2);
  });

  it('backs off, then sidesteps, when it asks to walk and does not move', () => {
    const policy = new VisualNavigatorPolicy();
    policy.reset();
    const centred = frame([28, 36, [200, 30, 35]]);
    for (let t = 3; t < 7; t++) expect(policy.act(observe(centred, t, 0, 0)).forward).toBeGreaterThan(0.5);
    const escape = Array.from({ length: 16 }, (_, k) => policy.act(observe(centred, 7 + k, 0, 0)));
    expect(escape.slice(0, 4).every((a) => a.forward < 0 && a.strafe === 0)).toBe(true);
    expect(escape.slice(4).every((a) => Math.abs(a.strafe) === 1)).toBe(true);
    expect(policy.act(observe(centred, 23, 0, 2)).forward).toBeGreaterThan(0.5); // free again: back to the target
  });

  it('pushing: steps toward the side the ball is off the goal line, walks when lined up', () => {
    const palette = scenePalette(arenaScene(0));
    const policy = new VisualNavigatorPolicy({ palette });
    policy.reset();
    const push = { instruction: 'push the ball to the red pillar', target: { id: 'ball-0', color: BALL } };
    // Ball left of the pillar: step left (negative strafe).
    const left = policy.act(observe(frame([24, 30, [230, 80, 30]], [40, 46, [200, 30, 35]]), 0, 0, 2, push));
    expect(left.strafe).toBeLessThan(-0.5);
    // Ball in front of the pillar, both centred: walk through it.
    const lined = policy.act(observe(frame([29, 35, [230, 80, 30]], [30, 34, [200, 30, 35]]), 1, 0, 2, push));
    expect(lined.forward).toBe(1);
    expect(Math.abs(lined.strafe)).toBeLessThan(0.2);
  });
});

describe('goalColour', () => {
  const palette = scenePalette(arenaScene(0));
  const base = observe(frame(), 0);
  it('prefers the observation goal, else reads the instruction with the scene palette', () => {
    expect(palette.get('red pillar')).toBe(RED);
    expect(goalColour({ ...base, goal: { id: 'pillar-blue', color: 0x2455e0 } }, palette)).toBe(0x2455e0);
    expect(goalColour({ ...base, instruction: 'push the ball to the yellow pillar' }, palette)).toBe(0xf5c81c);
    expect(goalColour({ ...base, instruction: 'walk to the red pillar' }, palette)).toBeNull();
    expect(goalColour({ ...base, instruction: 'push the ball to the moon' }, palette)).toBeNull();
  });
});
