import { type Camera, Color, DirectionalLight, Fog, HemisphereLight, type Scene } from 'three';
import { skyDome } from './skyDome.ts';
import type { WorldRecipe } from './worldRecipe.ts';

/**
 * Light, fog and sky from the recipe: a sun (no shadow maps: software GL draws the world many
 * times a second), a hemisphere fill, fog from none to dense, and a background colour or a
 * gradient dome, or nothing (a void sky). Returns what must run before each frame (the dome follows the camera).
 */
export function addAtmosphere(scene: Scene, recipe: WorldRecipe): (camera: Camera) => void {
  const { light, fog } = recipe;
  scene.add(new HemisphereLight(light.skyLight, light.groundLight, light.hemiIntensity));
  const sun = new DirectionalLight(light.sunColor, light.sunIntensity);
  const elevation = (light.sunElevation * Math.PI) / 180;
  const azimuth = (light.sunAzimuth * Math.PI) / 180;
  sun.position.set(Math.cos(elevation) * Math.sin(azimuth) * 40, Math.sin(elevation) * 40, Math.cos(elevation) * Math.cos(azimuth) * 40);
  sun.name = 'sun';
  scene.add(sun, sun.target);
  if (fog.level !== 'none') scene.fog = new Fog(fog.color, fog.near, fog.far);
  // A void sky leaves `scene.background` unset: the renderer clears to black.
  if (recipe.sky === 'void') return () => {};
  scene.background = new Color(fog.level === 'none' ? light.skyHorizon : fog.color);
  if (recipe.sky === 'flat') return () => {};
  const dome = skyDome(recipe);
  scene.add(dome);
  return (camera) => {
    dome.position.copy(camera.position);
    dome.updateMatrixWorld();
  };
}
