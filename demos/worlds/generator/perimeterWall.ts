import type { WorldKit } from './WorldKit.ts';

export interface PerimeterWallOptions {
  height: number;
  /** Default 0.6 (under 1.2 m, so a wall top is never a spawn ledge). */
  thickness?: number;
  surface?: string;
  /** Bottom of the wall (below the floor where the ground dips). Default −0.5. */
  bottom?: number;
  /** Pilasters on the inner face every this many metres (0: none). */
  pilasterEvery?: number;
  /** Closed gates (a dark door in a frame) on the inner face, by side: 0 north (−z), 1 east, 2 south, 3 west. */
  gates?: number[];
}

/**
 * The wall that closes a rectangular world: inner faces at |x| = halfX and |z| = halfZ, a pale
 * cap on top, optional pilasters and gates that read as places on the wall.
 */
export function perimeterWall(kit: WorldKit, halfX: number, halfZ: number, options: PerimeterWallOptions): void {
  const t = options.thickness ?? 0.6;
  const surface = options.surface ?? 'wall';
  const bottom = options.bottom ?? -0.5;
  const h = options.height - bottom;
  const cy = bottom + h / 2;
  kit.box(surface, [2 * halfX + 2 * t, h, t], [0, cy, -halfZ - t / 2]);
  kit.box(surface, [2 * halfX + 2 * t, h, t], [0, cy, halfZ + t / 2]);
  kit.box(surface, [t, h, 2 * halfZ], [-halfX - t / 2, cy, 0]);
  kit.box(surface, [t, h, 2 * halfZ], [halfX + t / 2, cy, 0]);
  const cap = 0.25;
  const top = options.height + cap / 2;
  kit.box('trim', [2 * halfX + 2 * t + 0.2, cap, t + 0.2], [0, top, -halfZ - t / 2]);
  kit.box('trim', [2 * halfX + 2 * t + 0.2, cap, t + 0.2], [0, top, halfZ + t / 2]);
  kit.box('trim', [t + 0.2, cap, 2 * halfZ], [-halfX - t / 2, top, 0]);
  kit.box('trim', [t + 0.2, cap, 2 * halfZ], [halfX + t / 2, top, 0]);
  const every = options.pilasterEvery ?? 0;
  if (every > 0) {
    for (const [along, fixed, axis] of [[halfX, halfZ, 'x'], [halfZ, halfX, 'z']] as const) {
      const n = Math.max(1, Math.round((2 * along) / every));
      for (let i = 1; i < n; i++) {
        const u = -along + (i * 2 * along) / n;
        for (const side of [-1, 1]) {
          const at: [number, number, number] = axis === 'x' ? [u, options.height / 2, side * (fixed - 0.1)] : [side * (fixed - 0.1), options.height / 2, u];
          kit.box('trim', axis === 'x' ? [0.5, options.height, 0.2] : [0.2, options.height, 0.5], at);
        }
      }
    }
  }
  for (const side of options.gates ?? []) {
    const w = 2.4;
    const gh = Math.min(3.2, options.height - 0.5);
    const inward = side === 0 || side === 3 ? 1 : -1;
    const horizontal = side === 0 || side === 2;
    const edge = horizontal ? halfZ : halfX;
    const pos = -inward * (edge - 0.06);
    kit.box('metal', horizontal ? [w, gh, 0.12] : [0.12, gh, w], horizontal ? [0, gh / 2, pos] : [pos, gh / 2, 0]);
    const frame = horizontal ? [w + 0.8, 0.4, 0.3] : [0.3, 0.4, w + 0.8];
    kit.box('accent', frame as [number, number, number], horizontal ? [0, gh + 0.2, pos] : [pos, gh + 0.2, 0]);
    for (const d of [-1, 1]) kit.box('accent', horizontal ? [0.4, gh, 0.3] : [0.3, gh, 0.4], horizontal ? [d * (w / 2 + 0.2), gh / 2, pos] : [pos, gh / 2, d * (w / 2 + 0.2)]);
  }
}
