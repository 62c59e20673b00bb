import { describe, expect, it } from 'vitest';
import { drawSphereOverlays } from '../../../engine/sandbox/drawSphereOverlays.ts';
import { arenaScene } from '../../../engine/runtime/scene/arenaScene.ts';

const W = 32;
const H = 32;
const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
const lighting = arenaScene(0).lighting;
const grey = () => new Uint8Array(3 * W * H).fill(100);
const far = () => new Float32Array(W * H).fill(60);
const eye = { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 };
const ball = (x: number, y: number, z: number) => ({ position: { x, y, z }, radius: 0.3, color: 0xff5a1f });
const changed = (rgb: Uint8Array) => Array.from({ length: W * H }, (_, p) => rgb[3 * p] !== 100 || rgb[3 * p + 1] !== 100 || rgb[3 * p + 2] !== 100);

describe('drawSphereOverlays', () => {
  it('draws a ball where the camera sees it, in its colour, and leaves the rest alone', () => {
    const rgb = drawSphereOverlays(grey(), W, H, camera, eye, far(), [ball(0, 1.6, -3)], lighting);
    const mask = changed(rgb);
    const centre = ((H / 2) * W + W / 2) * 3;
    // Orange, lit: red well above green, green above blue.
    expect(rgb[centre]).toBeGreaterThan(120);
    expect(rgb[centre]! - rgb[centre + 1]!).toBeGreaterThan(40);
    expect(rgb[centre + 1]).toBeGreaterThan(rgb[centre + 2]!);
    // Angular radius atan(0.3 / 3) ≈ 5.7° of a 70° view: about 5 pixels across at 32 px.
    const drawn = mask.filter(Boolean).length;
    expect(drawn).toBeGreaterThan(12);
    expect(drawn).toBeLessThan(40);
    expect(mask[0]).toBe(false);
  });

  it('puts a ball on the right of the view on the right, and one below the eye lower down', () => {
    const right = changed(drawSphereOverlays(grey(), W, H, camera, eye, far(), [ball(1.5, 1.6, -4)], lighting));
    const columns = right.flatMap((hit, p) => (hit ? [p % W] : []));
    expect(Math.min(...columns)).toBeGreaterThan(W / 2);
    const low = changed(drawSphereOverlays(grey(), W, H, camera, eye, far(), [ball(0, 0.3, -4)], lighting));
    const rows = low.flatMap((hit, p) => (hit ? [Math.floor(p / W)] : []));
    expect(Math.min(...rows)).toBeGreaterThan(H / 2);
    // Turned left by 90°, the camera looks down −x: a ball there is dead ahead.
    const turned = changed(drawSphereOverlays(grey(), W, H, camera, { ...eye, yaw: Math.PI / 2 }, far(), [ball(-3, 1.6, 0)], lighting));
    expect(turned[(H / 2) * W + W / 2]).toBe(true);
  });

  it('hides a ball behind the static world (proxy depth) and one behind the camera', () => {
    const wall = new Float32Array(W * H).fill(2); // a wall 2 m ahead, the ball 3 m
    expect(changed(drawSphereOverlays(grey(), W, H, camera, eye, wall, [ball(0, 1.6, -3)], lighting)).some(Boolean)).toBe(false);
    // Depth only covers the left half: the ball shows through on the right half of its disc.
    const half = far();
    for (let p = 0; p < W * H; p++) if (p % W < W / 2) half[p] = 2;
    const mask = changed(drawSphereOverlays(grey(), W, H, camera, eye, half, [ball(0, 1.6, -3)], lighting));
    expect(mask.some((hit, p) => hit && p % W < W / 2)).toBe(false);
    expect(mask.some((hit, p) => hit && p % W >= W / 2)).toBe(true);
    expect(changed(drawSphereOverlays(grey(), W, H, camera, eye, far(), [ball(0, 1.6, 3)], lighting)).some(Boolean)).toBe(false);
  });

  it('draws the nearer of two overlapping balls', () => {
    const blue = { position: { x: 0, y: 1.6, z: -3 }, radius: 0.3, color: 0x2040ff };
    const rgb = drawSphereOverlays(grey(), W, H, camera, eye, far(), [ball(0, 1.6, -6), blue], lighting);
    const centre = ((H / 2) * W + W / 2) * 3;
    expect(rgb[centre + 2]).toBeGreaterThan(rgb[centre]!);
  });
});
