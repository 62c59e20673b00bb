import { createContext, useContext } from 'react';
import { NextframeError, type WorldModel } from '../../../worldmodel/index.ts';
import type { DeviceChoice, PhysicsWorld, RapierModule, WorldModelPlugin } from '../index.ts';

/** What `<NextframeWorld>` gives the components inside it (`useNextframe()`). */
export interface NextframeState {
  /** The plug-in playing the world: events (`on`), `view`, `paused`, `throwBall()`, `restart()`… */
  plugin: WorldModelPlugin;
  /** This world's model: a fork of the loaded one (its own history and spatial memory). */
  model: WorldModel;
  /** The Rapier world: proxy colliders, overlay bodies, the player's character. */
  physics: PhysicsWorld;
  /** Rapier, initialised (for `RigidBodyDesc`, `ColliderDesc`, ray casts). */
  rapier: RapierModule;
  /** The backend the model runs on, and why. */
  device: DeviceChoice;
  /** The model bytes came from the browser's cache. */
  fromCache: boolean;
}

export const NextframeContext = createContext<NextframeState | null>(null);
NextframeContext.displayName = 'NextframeContext';

/**
 * The world of the nearest `<NextframeWorld>`: the plug-in, its model, physics and Rapier. Only
 * inside `<NextframeWorld>` (and so inside r3f's `<Canvas>`); elsewhere it throws, saying so.
 */
export function useNextframe(): NextframeState {
  const state = useContext(NextframeContext);
  if (!state) {
    throw new NextframeError(
      'not-ready',
      'useNextframe: no <NextframeWorld> above this component. nextframe/r3f hooks and components (useNextframe, useNextframeStats, <Proxy>, <Overlay>) work only inside <NextframeWorld>, which lives inside r3f\'s <Canvas>; a DOM component outside the <Canvas> cannot read it (pass what it needs out with a callback).',
    );
  }
  return state;
}
