import { readFileSync } from 'node:fs';
import { PerspectiveCamera, Vector3 } from 'three';
import { describe, expect, it } from 'vitest';
import { applyModelCamera, placeCamera } from '../../../../engine/runtime/render/modelCamera.ts';
import { parseManifest } from '../../../../worldmodel/parseManifest.ts';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../../../fixtures/tiny/manifest.json', import.meta.url), 'utf8')));

describe('modelCamera', () => {
  it("gives the camera the model's field of view, aspect and clip planes", () => {
    const camera = new PerspectiveCamera(50, 16 / 9, 0.1, 1000);
    applyModelCamera(camera, manifest);
    expect(camera.fov).toBe(manifest.camera.fovYDegrees);
    expect(camera.aspect).toBe(manifest.resolution.width / manifest.resolution.height);
    expect(camera.near).toBe(manifest.camera.near);
    expect(camera.far).toBe(manifest.camera.far);
    // The projection matrix follows: element [5] is 1 / tan(fov / 2).
    expect(camera.projectionMatrix.elements[5]).toBeCloseTo(1 / Math.tan((manifest.camera.fovYDegrees * Math.PI) / 360), 6);
  });

  it('places the camera at a pose: yaw turns left about +y, then pitch looks up', () => {
    const camera = new PerspectiveCamera();
    placeCamera(camera, { x: 1, y: 2, z: 3, yaw: Math.PI / 2, pitch: 0.3 });
    const forward = camera.getWorldDirection(new Vector3());
    expect(forward.x).toBeCloseTo(-Math.cos(0.3), 6);
    expect(forward.y).toBeCloseTo(Math.sin(0.3), 6);
    expect(forward.z).toBeCloseTo(0, 6);
    expect(camera.getWorldPosition(new Vector3()).toArray()).toEqual([1, 2, 3]);
  });
});
