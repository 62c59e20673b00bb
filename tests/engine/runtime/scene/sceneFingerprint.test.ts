import { BoxGeometry, Color, Fog, Mesh, MeshLambertMaterial, Scene } from 'three';
import { describe, expect, it } from 'vitest';
import { layoutFromScene } from '../../../../engine/runtime/scene/layoutFromScene.ts';
import { fnv1a64, sceneFingerprint } from '../../../../engine/runtime/scene/sceneFingerprint.ts';

function build(color = 0x808080, x = 0) {
  const scene = new Scene();
  const floor = new Mesh(new BoxGeometry(10, 0.5, 10), new MeshLambertMaterial({ color }));
  floor.position.set(x, -0.25, 0);
  scene.add(floor);
  scene.fog = new Fog(0x445566, 5, 40);
  const result = { scene, proxies: [floor], spawn: { min: [-3, -3], max: [3, 3] } as { min: [number, number]; max: [number, number] } };
  return sceneFingerprint(scene, layoutFromScene(result, 'fp', 0));
}

describe('sceneFingerprint', () => {
  it('is the same for the same scene and changes with a colour or a move', () => {
    expect(build()).toMatch(/^[0-9a-f]{16}$/);
    expect(build()).toBe(build());
    expect(build(0x808081)).not.toBe(build());
    expect(build(0x808080, 0.5)).not.toBe(build());
  });

  it('hashes text to 16 hex digits, differently for different text', () => {
    expect(fnv1a64('')).toBe('811c9dc5050c5d1f'); // the offsets, untouched
    expect(fnv1a64('a')).not.toBe(fnv1a64('b'));
    expect(new Color(1, 0, 0).getHexString()).toBe('ff0000');
  });
});
