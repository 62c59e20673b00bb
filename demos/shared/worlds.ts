// The worlds the demo plays: each a scene module and the model trained on it (?world=<id>).
// Loaders are static imports so `vite build` bundles every world.

export interface DemoWorld {
  title: string;
  /** The scene module. */
  load: () => Promise<unknown>;
  /** Where it lives in the repo (for errors). */
  source: string;
  /** The model trained on it. */
  model: string;
}

export const WORLDS: Readonly<Record<string, DemoWorld>> = {
  arena: { title: 'Arena — a sunny courtyard', load: () => import('../worlds/arena.ts'), source: 'demos/worlds/arena.ts', model: '/models/arena/' },
  'dusk-street': { title: 'Dusk street — a town street at sunset', load: () => import('../worlds/duskStreet.ts'), source: 'demos/worlds/duskStreet.ts', model: '/models/dusk-street/' },
};

export const DEFAULT_WORLD = 'arena';
