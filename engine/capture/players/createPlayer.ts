import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneLayout } from '../../runtime/index.ts';
import { ExplorePlayer } from './ExplorePlayer.ts';
import type { ScriptedPlayer } from './ScriptedPlayer.ts';
import { WanderPlayer } from './WanderPlayer.ts';

/** Scripted players by name; `wander` is the default. */
export const PLAYERS: Readonly<Record<string, (scene: SceneLayout, seed: number) => ScriptedPlayer>> = {
  wander: (scene, seed) => new WanderPlayer(scene, seed),
  explore: (scene, seed) => new ExplorePlayer(scene, seed),
};

export function createPlayer(name: string, scene: SceneLayout, seed: number): ScriptedPlayer {
  const make = PLAYERS[name];
  if (!make) throw new NextframeError('bad-policy', `createPlayer: unknown policy "${name}"; choose one of ${Object.keys(PLAYERS).join(', ')}.`);
  return make(scene, seed);
}
