import type { WorldKit } from './WorldKit.ts';

/** Compass direction a flight climbs towards: 0 −z, 1 +x, 2 +z, 3 −x. */
export type Climb = 0 | 1 | 2 | 3;

const DIRECTIONS: Record<Climb, [number, number]> = { 0: [0, -1], 1: [1, 0], 2: [0, 1], 3: [-1, 0] };
/** Risers stay under the character controller's 0.3 m autostep. */
export const MAX_RISER = 0.25;
export const TREAD = 0.42;
/** Ramps climb at most this steep (the controller walks up to 45°). */
export const RAMP_SLOPE = Math.tan((22 * Math.PI) / 180);

/** Horizontal length a flight of stairs or a ramp needs to climb `rise` metres. */
export function runLength(kind: 'stairs' | 'ramp', rise: number): number {
  return kind === 'stairs' ? Math.ceil(rise / MAX_RISER - 1e-9) * TREAD : rise / RAMP_SLOPE;
}

/**
 * Stairs or a ramp from `fromY` up to `toY`, climbing towards `climb`, whose top edge is the
 * centre (x, z) — the edge of the higher floor. Solid down to below the lower floor, so they
 * are their own support. Claims their footprint.
 */
export function connector(kit: WorldKit, kind: 'stairs' | 'ramp', x: number, z: number, climb: Climb, fromY: number, toY: number, width: number, surface = 'trim'): void {
  const [dx, dz] = DIRECTIONS[climb];
  const rise = toY - fromY;
  const run = runLength(kind, rise);
  // Along the flight, from its foot to its top edge at (x, z).
  const footX = x - dx * run;
  const footZ = z - dz * run;
  if (kind === 'ramp') {
    const yaw = ([0, -Math.PI / 2, Math.PI, Math.PI / 2] as const)[climb];
    kit.wedge(surface, [width, rise, run], [(x + footX) / 2, fromY, (z + footZ) / 2], { yaw, flat: true });
  } else {
    const n = Math.ceil(rise / MAX_RISER - 1e-9);
    const riser = rise / n;
    for (let k = 1; k <= n; k++) {
      const top = fromY + k * riser;
      const bottom = fromY - 0.3;
      const along = (k - 0.5) * TREAD;
      const cx = footX + dx * along;
      const cz = footZ + dz * along;
      const tint = k % 2 ? 0xffffff : 0xe4e4e4;
      kit.box(surface, [dx ? TREAD : width, top - bottom, dz ? TREAD : width], [cx, (top + bottom) / 2, cz], { tint });
    }
  }
  kit.claimRect((x + footX) / 2, (z + footZ) / 2, dx ? run + 1.2 : width + 0.6, dz ? run + 1.2 : width + 0.6);
}

/** A railing of posts and two rails from (x0, z0) to (x1, z1) standing on y. */
export function railing(kit: WorldKit, x0: number, z0: number, x1: number, z1: number, y: number, height = 1.05, surface = 'metal'): void {
  const length = Math.hypot(x1 - x0, z1 - z0);
  if (length < 0.3) return;
  const yaw = Math.atan2(-(z1 - z0), x1 - x0);
  const n = Math.max(1, Math.round(length / 1.5));
  for (let i = 0; i <= n; i++) kit.box(surface, [0.08, height, 0.08], [x0 + ((x1 - x0) * i) / n, y + height / 2, z0 + ((z1 - z0) * i) / n]);
  for (const h of [height, height * 0.55]) kit.box(surface, [length, 0.07, 0.07], [(x0 + x1) / 2, y + h, (z0 + z1) / 2], { yaw });
}
