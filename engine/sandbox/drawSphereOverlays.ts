import type { CameraIntrinsics, SceneLighting } from '../runtime/index.ts';
import { imagePlane, rayX, rayY } from '../../worldmodel/geometry/PinholeCamera.ts';
import type { Pose, XYZ } from '../../worldmodel/geometry/Pose.ts';
import { poseTransform, worldDirectionToCamera, worldToCamera } from '../../worldmodel/geometry/PoseTransform.ts';

/** A sphere to draw: world centre (m), radius (m), colour 0xRRGGBB (sRGB). */
export interface OverlaySphere {
  position: { x: number; y: number; z: number };
  radius: number;
  color: number;
}

/** The hemisphere light's ground colour in `buildThreeScene` (sRGB): the overlay is lit as Three.js lights it. */
const GROUND_COLOR = 0x8a7a60;
/** Sub-pixel samples per axis: the ground-truth render is 2× supersampled and box-filtered too. */
const SUB = 2;

/**
 * Draw spheres (the physics balls) over a painted frame in software, as the product's compositor
 * draws overlay meshes over generated frames in the browser: each sub-pixel ray is intersected
 * with each sphere, kept only where it is nearer than the proxy depth of the static world (a ball
 * behind a pillar is hidden) and than other spheres, and shaded with Three.js's Lambert model
 * under the scene's lights (hemisphere + sun, no shadows). `rgb` is HWC bytes, row 0 at the top;
 * `depth` is proxy view-space depth for `pose`, metres. Allocation-free but for `scratch` growth.
 */
export function drawSphereOverlays(
  rgb: Uint8Array,
  width: number,
  height: number,
  camera: CameraIntrinsics,
  pose: Readonly<Pose>,
  depth: Float32Array,
  spheres: readonly OverlaySphere[],
  lighting: SceneLighting,
): Uint8Array {
  if (spheres.length === 0) return rgb;
  const { tanX, tanY } = imagePlane(width, height, camera.fovYDegrees, camera.aspect);
  // Everything below is in camera space: the sun, the sky's up, the spheres and the pixel rays.
  const view = poseTransform(pose);
  const [lx, ly, lz] = lighting.sunDirection;
  const ll = Math.hypot(lx, ly, lz);
  const sun = worldDirectionToCamera(view, lx / ll, ly / ll, lz / ll, { x: 0, y: 0, z: 0 });
  const up = worldDirectionToCamera(view, 0, 1, 0, { x: 0, y: 0, z: 0 });
  const sky = linearColor(lighting.ambientColor, lighting.ambientIntensity);
  const ground = linearColor(GROUND_COLOR, lighting.ambientIntensity);
  const sunLight = linearColor(lighting.sunColor, lighting.sunIntensity);

  const centres = spheres.map((s) => ({
    c: worldToCamera(view, s.position.x, s.position.y, s.position.z, { x: 0, y: 0, z: 0 }) as Readonly<XYZ>,
    r: s.radius,
    albedo: linearColor(s.color, 1 / Math.PI),
  }));
  const n: XYZ = { x: 0, y: 0, z: 0 };
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const p = j * width + i;
      const limit = depth[p]!;
      let hits = 0;
      let r = 0;
      let g = 0;
      let b = 0;
      for (let sj = 0; sj < SUB; sj++) {
        for (let si = 0; si < SUB; si++) {
          // Camera-space ray (a, bb, −1) through the sub-pixel centre: time of impact = view depth.
          const a = rayX(i + (si + 0.5) / SUB, width, tanX);
          const bb = rayY(j + (sj + 0.5) / SUB, height, tanY);
          const rr = a * a + bb * bb + 1;
          let best = limit;
          let hit = -1;
          for (let k = 0; k < centres.length; k++) {
            const { c, r: radius } = centres[k]!;
            const rc = a * c.x + bb * c.y - c.z;
            const disc = rc * rc - rr * (c.x * c.x + c.y * c.y + c.z * c.z - radius * radius);
            if (disc < 0 || rc <= 0) continue;
            const t = (rc - Math.sqrt(disc)) / rr;
            if (t > camera.near && t < best) {
              best = t;
              hit = k;
            }
          }
          if (hit < 0) continue;
          const { c, r: radius, albedo } = centres[hit]!;
          n.x = (a * best - c.x) / radius;
          n.y = (bb * best - c.y) / radius;
          n.z = (-best - c.z) / radius;
          const hemi = 0.5 * (n.x * up.x + n.y * up.y + n.z * up.z) + 0.5;
          const direct = Math.max(0, n.x * sun.x + n.y * sun.y + n.z * sun.z);
          r += albedo[0]! * (ground[0]! + (sky[0]! - ground[0]!) * hemi + sunLight[0]! * direct);
          g += albedo[1]! * (ground[1]! + (sky[1]! - ground[1]!) * hemi + sunLight[1]! * direct);
          b += albedo[2]! * (ground[2]! + (sky[2]! - ground[2]!) * hemi + sunLight[2]! * direct);
          hits++;
        }
      }
      if (hits === 0) continue;
      // Blend the covered share of the pixel in sRGB bytes, as the box filter of the truth does.
      const area = SUB * SUB;
      const o = 3 * p;
      rgb[o] = Math.round((rgb[o]! * (area - hits) + srgbByte(r / hits) * hits) / area);
      rgb[o + 1] = Math.round((rgb[o + 1]! * (area - hits) + srgbByte(g / hits) * hits) / area);
      rgb[o + 2] = Math.round((rgb[o + 2]! * (area - hits) + srgbByte(b / hits) * hits) / area);
    }
  }
  return rgb;
}

/** An sRGB hex colour in linear light, times `scale`. */
function linearColor(hex: number, scale: number): [number, number, number] {
  const channel = (v: number): number => {
    const c = v / 255;
    return (c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4)) * scale;
  };
  return [channel((hex >> 16) & 255), channel((hex >> 8) & 255), channel(hex & 255)];
}

/** Linear light → sRGB byte (clamped). */
function srgbByte(v: number): number {
  const c = Math.max(0, Math.min(1, v));
  return Math.round(255 * (c <= 0.0031308 ? c * 12.92 : 1.055 * Math.pow(c, 1 / 2.4) - 0.055));
}
