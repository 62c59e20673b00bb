import { DEFAULT_EYE_HEIGHT } from '../../../worldmodel/dataset/episode.ts';
import type { PlayerInput } from '../input/PlayerInput.ts';
import type { PhysicsWorld } from '../physics/PhysicsWorld.ts';
import type { PlayerLoopOptions } from './PlayerLoop.ts';
import { DEFAULT_SURVEY_HEADINGS } from './surveyHeadings.ts';
import type { WorldModelPluginOptions } from './WorldModelPluginOptions.ts';

/** What the plug-in hands its loop: the ground-truth render and where throws, frames and errors go. */
export type PlayerLoopHooks = Required<Pick<PlayerLoopOptions, 'renderTruth' | 'onThrow' | 'onFrame' | 'onError'>> & Pick<PlayerLoopOptions, 'renderDisplayTruth' | 'onDisplayChange'>;

/**
 * The `PlayerLoop` options of a plug-in: its model, character, speculation and world as given,
 * the physics world and input it plays with, and `hooks`. Without a `spawn`, the player starts
 * under the camera (eye height above the feet, default 1.6 m), facing where it faces.
 */
export function playerLoopOptions(options: WorldModelPluginOptions, physics: PhysicsWorld, input: PlayerInput | null, hooks: PlayerLoopHooks): PlayerLoopOptions {
  const { camera } = options;
  const eyeHeight = options.character?.eyeHeight ?? DEFAULT_EYE_HEIGHT;
  const spawn = options.spawn ?? { x: camera.position.x, y: camera.position.y - eyeHeight, z: camera.position.z, yaw: camera.rotation.y };
  return {
    model: options.model,
    physics,
    spawn,
    ...(options.character ? { character: options.character } : {}),
    input,
    ...hooks,
    ...(options.speculation ? { speculation: options.speculation } : {}),
    ...(options.display ? { display: options.display } : {}),
    ...(options.world ? { world: options.world } : {}),
    ...(options.survey ? { survey: { headings: options.survey === true ? DEFAULT_SURVEY_HEADINGS : options.survey.headings ?? DEFAULT_SURVEY_HEADINGS } } : {}),
  };
}
