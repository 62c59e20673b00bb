// The worlds the demo plays: each a scene module and the model trained on it (?world=<id>).
// Loaders are static imports so `vite build` bundles every world.

/** The model for scenes without one of their own: trained on many generated worlds. */
export const GENERALIST_MODEL = '/models/generalist/';

export interface DemoWorld {
  title: string;
  /** The scene module. */
  load: () => Promise<unknown>;
  /** Where it lives in the repo (for errors). */
  source: string;
  /** The model trained on it (the generalist for worlds no model learned). */
  model: string;
  /** Scene seed when the page gives no ?worldSeed=. Default 0. */
  seed?: number;
}

export const WORLDS: Readonly<Record<string, DemoWorld>> = {
  arena: { title: 'Arena — a sunny courtyard', load: () => import('../worlds/arena.ts'), source: 'demos/worlds/arena.ts', model: '/models/arena/' },
  'dusk-street': { title: 'Dusk street — a town street at sunset', load: () => import('../worlds/duskStreet.ts'), source: 'demos/worlds/duskStreet.ts', model: '/models/dusk-street/' },
  // World 100000 onwards were never trained on (the generalist learned worlds 0–99).
  generated: { title: 'Generated world — one no model saw (?worldSeed=N)', load: () => import('../worlds/generated.ts'), source: 'demos/worlds/generated.ts', model: GENERALIST_MODEL, seed: 100000 },
};

export const DEFAULT_WORLD = 'arena';
