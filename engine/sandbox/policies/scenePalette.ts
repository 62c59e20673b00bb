import type { SceneDescription } from '../../runtime/index.ts';
import type { Palette } from './goalColour.ts';

/**
 * The words a task uses for each landmark of a scene (`pillar-red` → "red pillar", as the
 * tasks name them) with the landmark's colour: what a policy needs to read a colour out of an
 * instruction. Built from the scene description, which every policy harness has.
 */
export function scenePalette(scene: SceneDescription): Palette {
  const palette = new Map<string, number>();
  for (const shape of scene.statics) {
    if (!shape.landmark) continue;
    const colour = scene.materials[shape.material]?.color;
    if (colour === undefined) continue;
    const name = shape.id.split('-').reverse().join(' ');
    if (!palette.has(name)) palette.set(name, colour);
  }
  return palette;
}
