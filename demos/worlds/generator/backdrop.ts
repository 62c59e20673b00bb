import { mixHex, shadeHex } from './palettes.ts';
import type { WorldKit } from './WorldKit.ts';

export const BACKDROPS = ['mountains', 'city', 'forest', 'mesas', 'none'] as const;
export type Backdrop = (typeof BACKDROPS)[number];

/**
 * Distant scenery outside the walls, seen over them: mountains, rooftops, a forest line or mesas,
 * faded towards the horizon colour with distance (within 38 m of the centre, so the model camera's
 * far plane never cuts it). Unreachable, but drawn, so they are proxies like everything else.
 */
export function backdrop(kit: WorldKit, style: Backdrop): void {
  if (style === 'none') return;
  const { rng, palette, recipe } = kit;
  const inner = Math.max(recipe.halfX, recipe.halfZ) + 7;
  const haze = recipe.fog.level === 'none' ? recipe.light.skyHorizon : recipe.fog.color;
  const count = style === 'city' ? 22 : style === 'forest' ? 30 : 12;
  for (let i = 0; i < count; i++) {
    const a = (i / count) * Math.PI * 2 + rng.range(-0.15, 0.15);
    const d = rng.range(inner, Math.min(38, inner + 14));
    const x = Math.sin(a) * d;
    const z = Math.cos(a) * d;
    const fade = Math.min(0.6, (d - inner) / 30 + 0.15);
    switch (style) {
      case 'mountains': {
        const h = rng.range(10, 22);
        const tint = mixHex(mixHex(palette.stone, 0x5a6a80, 0.4), haze, fade);
        kit.cone('paint', rng.range(8, 14), h, [x, -1, z], { segments: rng.int(5, 7), yaw: rng.range(0, 3), tint, flat: true });
        if (h > 16) kit.cone('paint', 3.2 * (h / 20), h * 0.28, [x, h * 0.72 - 1, z], { segments: 6, tint: mixHex(0xf4f6fa, haze, fade) });
        break;
      }
      case 'city': {
        const w = rng.range(4, 8);
        const h = rng.range(6, 20);
        const tint = mixHex(rng.pick([palette.main, palette.light, palette.mainDark, palette.accent2]), haze, fade);
        kit.box('paint', [w, h, w], [x, h / 2 - 0.5, z], { yaw: a, tint });
        if (rng.chance(0.4)) kit.cone('paint', w * 0.75, w * 0.7, [x, h - 0.5, z], { segments: 4, yaw: a + Math.PI / 4, tint: shadeHex(tint, 0.75) });
        break;
      }
      case 'forest': {
        const h = rng.range(7, 12);
        kit.cone('paint', h * 0.3, h, [x, -0.5, z], { segments: 6, tint: mixHex(shadeHex(palette.foliage, 0.8), haze, fade) });
        break;
      }
      case 'mesas': {
        const h = rng.range(6, 14);
        const tint = mixHex(mixHex(palette.ground, 0xb0643c, 0.5), haze, fade);
        kit.cylinder('paint', rng.range(4, 8), rng.range(7, 11), h, [x, h / 2 - 1, z], { segments: 7, yaw: rng.range(0, 3), tint, flat: true });
        break;
      }
    }
  }
}

/** A wide ground plane under the world and its surroundings, top at `y`. */
export function outerGround(kit: WorldKit, surface: string, y = -0.01, tint = 0xffffff): void {
  kit.box(surface, [90, 1, 90], [0, y - 0.5, 0], { tint });
}
