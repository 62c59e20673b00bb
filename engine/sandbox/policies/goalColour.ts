import type { Observation } from '../types.ts';

/** Landmark words → colour (0xRRGGBB), e.g. `{ 'red pillar': 0xe0262b }`: how a policy reads an instruction. */
export type Palette = ReadonlyMap<string, number>;

/**
 * The colour of the place a push task wants the target moved to, or null. The environment
 * gives it as `observation.goal`; without that (a user's own harness) the instruction names it
 * ("push the ball to the red pillar") and `palette` turns the words into a colour, longest
 * name first so "red pillar" wins over "red".
 */
export function goalColour(observation: Observation, palette: Palette | undefined): number | null {
  if (observation.goal) return observation.goal.color;
  if (!palette) return null;
  const at = observation.instruction.lastIndexOf(' to the ');
  if (!observation.instruction.startsWith('push') || at < 0) return null;
  const place = observation.instruction.slice(at + ' to the '.length);
  const names = [...palette.keys()].sort((a, b) => b.length - a.length);
  const name = names.find((n) => place.startsWith(n));
  return name === undefined ? null : palette.get(name)!;
}
