import { beacon, bigTree, fountain, obelisk, pavilion, statue, tower, windmill } from './props.ts';
import type { WorldKit } from './WorldKit.ts';
import type { LandmarkKind } from './worldRecipe.ts';

/** Ground radius each centrepiece needs, m. */
export const LANDMARK_RADIUS: Record<LandmarkKind, number> = {
  obelisk: 1.6,
  statue: 1.8,
  tower: 2.4,
  fountain: 3.0,
  bigTree: 2.5,
  beacon: 1.2,
  windmill: 2.4,
  pavilion: 2.8,
};

/**
 * The world's centrepiece, standing on (x, y, z): tall or bold enough to be seen from across the
 * world, built as a proxy of its own named `name` (a place the scripted players walk to).
 */
export function landmark(kit: WorldKit, kind: LandmarkKind, x: number, y: number, z: number, name = `landmark-${kind}`): void {
  const r = kit.rng;
  kit.claim(x, z, LANDMARK_RADIUS[kind]);
  kit.group(name, () => {
    switch (kind) {
      case 'obelisk':
        obelisk(kit, x, y, z, r.range(6, 9));
        break;
      case 'statue':
        statue(kit, x, y, z, r.range(1.5, 2.1), r.range(0, Math.PI * 2));
        break;
      case 'tower':
        tower(kit, x, y, z, r.range(1.2, 1.7), r.range(7, 11), r.chance(0.5));
        break;
      case 'fountain':
        fountain(kit, x, y, z, r.range(2.2, 2.7));
        break;
      case 'bigTree':
        bigTree(kit, x, y, z);
        break;
      case 'beacon':
        beacon(kit, x, y, z, r.range(8, 11));
        break;
      case 'windmill':
        windmill(kit, x, y, z, r.range(0, Math.PI * 2));
        break;
      case 'pavilion':
        pavilion(kit, x, y, z, r.range(1.5, 2.0));
        break;
    }
  });
}
