import type Rapier from '@dimforge/rapier3d-compat';

/**
 * The Rapier module as callers pass it in (`import RAPIER from '@dimforge/rapier3d-compat';
 * await RAPIER.init()`), so engine code never initialises the wasm itself and Node and the
 * browser share one path.
 */
export type RapierModule = typeof Rapier;
