import { BackSide, BufferAttribute, Color, Mesh, MeshBasicMaterial, SphereGeometry, Vector3 } from 'three';
import type { WorldRecipe } from './worldRecipe.ts';

const RADIUS = 50; // inside the model camera's far plane (60 m)

/**
 * A gradient sphere around the camera: the recipe's sky colour overhead, its horizon (or fog)
 * colour at eye level, a glow around the sun, and a darker band below the horizon. Unlit and
 * unfogged; move it to the camera before each frame (`beforeRender`).
 */
export function skyDome(recipe: WorldRecipe): Mesh {
  const { light, fog } = recipe;
  const geometry = new SphereGeometry(RADIUS, 24, 12);
  const p = geometry.getAttribute('position');
  const colours = new Float32Array(p.count * 3);
  const top = new Color(light.skyTop);
  const horizon = new Color(fog.level === 'none' ? light.skyHorizon : fog.color);
  const below = horizon.clone().multiplyScalar(0.7);
  const sunColour = new Color(light.sunColor);
  const elevation = (light.sunElevation * Math.PI) / 180;
  const azimuth = (light.sunAzimuth * Math.PI) / 180;
  const sun = new Vector3(Math.cos(elevation) * Math.sin(azimuth), Math.sin(elevation), Math.cos(elevation) * Math.cos(azimuth));
  const v = new Vector3();
  const c = new Color();
  // A low sun paints the sky around it; a high one hardly shows in a 70° view.
  const glow = light.time === 'overcast' ? 0 : light.sunElevation < 20 ? 0.75 : 0.35;
  for (let i = 0; i < p.count; i++) {
    v.fromBufferAttribute(p, i).normalize();
    if (v.y >= 0) c.copy(horizon).lerp(top, Math.pow(v.y, 0.6));
    else c.copy(horizon).lerp(below, Math.min(1, -v.y * 4));
    const near = Math.max(0, v.dot(sun));
    c.lerp(sunColour, glow * Math.pow(near, 8));
    colours.set([c.r, c.g, c.b], i * 3);
  }
  geometry.setAttribute('color', new BufferAttribute(colours, 3));
  const dome = new Mesh(geometry, new MeshBasicMaterial({ vertexColors: true, side: BackSide, depthWrite: false, fog: false }));
  dome.name = 'sky';
  dome.renderOrder = -1;
  dome.frustumCulled = false;
  return dome;
}
