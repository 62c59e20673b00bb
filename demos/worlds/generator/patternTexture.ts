import { CanvasTexture, RepeatWrapping, SRGBColorSpace } from 'three';
import { mixHex, shadeHex } from './palettes.ts';
import { seededRandom, type Random } from './seededRandom.ts';

/** Every pattern `patternTexture` draws. */
export const PATTERNS = [
  'plain', 'tiles', 'checker', 'cobbles', 'flagstones', 'basket', 'hex', 'gravel', 'planks', 'carpet',
  'bricks', 'stone', 'plaster', 'stripes', 'panels', 'blocks', 'roof',
  'grass', 'sand', 'snow', 'leaves', 'heather', 'bark', 'foliage', 'rock', 'water',
] as const;
export type Pattern = (typeof PATTERNS)[number];

type Draw = (g: CanvasRenderingContext2D, s: number, c: Colours, rng: Random) => void;
interface Colours {
  base: string;
  light: string;
  dark: string;
  darker: string;
  accent: string;
  hex: number;
}

/**
 * A tileable canvas texture (64 or 128 px, RepeatWrapping, sRGB): `pattern` drawn in shades of
 * `base`, with `accent` where the pattern has a second colour (checker, stripes, carpet). Bold
 * shapes and strong lines, so surfaces still read at 64 × 64. Browser only (Canvas2D).
 */
export function patternTexture(pattern: Pattern, base: number, accent: number, seed: number): CanvasTexture {
  const size = pattern === 'basket' || pattern === 'hex' || pattern === 'cobbles' || pattern === 'flagstones' ? 128 : 64;
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('patternTexture: this browser gave no 2D canvas context.');
  const colours: Colours = { base: css(base), light: css(shadeHex(base, 1.22)), dark: css(shadeHex(base, 0.72)), darker: css(shadeHex(base, 0.5)), accent: css(accent), hex: base };
  g.fillStyle = colours.base;
  g.fillRect(0, 0, size, size);
  DRAW[pattern](g, size, colours, seededRandom(seed, pattern));
  const texture = new CanvasTexture(canvas);
  texture.name = pattern;
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  return texture;
}

function css(hex: number): string {
  return `#${hex.toString(16).padStart(6, '0')}`;
}

/** `n` specks of the given colours at random places: texture without a pattern. */
function speckle(g: CanvasRenderingContext2D, s: number, rng: Random, colours: string[], n: number, size: [number, number], alpha = 0.5): void {
  g.globalAlpha = alpha;
  for (let i = 0; i < n; i++) {
    g.fillStyle = rng.pick(colours);
    const w = rng.range(...size);
    g.fillRect(rng.next() * s, rng.next() * s, w, w);
  }
  g.globalAlpha = 1;
}

function grid(g: CanvasRenderingContext2D, s: number, n: number, colour: string, width: number): void {
  g.fillStyle = colour;
  for (let i = 0; i < n; i++) {
    g.fillRect((i * s) / n - width / 2, 0, width, s);
    g.fillRect(0, (i * s) / n - width / 2, s, width);
  }
  g.fillRect(s - width / 2, 0, width, s);
  g.fillRect(0, s - width / 2, s, width);
}

/** A shape drawn at every wrap offset, so shapes that cross an edge continue on the other side. */
function wrapped(s: number, draw: (dx: number, dy: number) => void): void {
  for (const dx of [-s, 0, s]) for (const dy of [-s, 0, s]) draw(dx, dy);
}

const DRAW: Record<Pattern, Draw> = {
  plain: (g, s, c, rng) => speckle(g, s, rng, [c.light, c.dark], 40, [1, 3], 0.25),
  tiles: (g, s, c, rng) => {
    const n = 4;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      g.fillStyle = rng.pick([c.base, c.base, c.light, c.dark]);
      g.fillRect((i * s) / n, (j * s) / n, s / n, s / n);
    }
    grid(g, s, n, c.darker, 2);
  },
  checker: (g, s, c) => {
    const n = 4;
    g.fillStyle = mixCss(c.hex, c.accent, 0.55);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if ((i + j) % 2) g.fillRect((i * s) / n, (j * s) / n, s / n, s / n);
  },
  cobbles: (g, s, c, rng) => {
    g.fillStyle = c.darker;
    g.fillRect(0, 0, s, s);
    const n = 6;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const r = s / n / 2;
      const x = (i + 0.5) * (s / n) + (j % 2 ? r : 0) + rng.range(-2, 2);
      const y = (j + 0.5) * (s / n) + rng.range(-2, 2);
      g.fillStyle = rng.pick([c.base, c.light, c.dark, c.base]);
      wrapped(s, (dx, dy) => {
        g.beginPath();
        g.ellipse(x + dx, y + dy, r * rng.range(0.75, 0.9), r * rng.range(0.7, 0.85), 0, 0, Math.PI * 2);
        g.fill();
      });
    }
  },
  flagstones: (g, s, c, rng) => {
    const rows = 3;
    for (let r = 0; r < rows; r++) {
      let x = rng.range(0, s / 3);
      const y = (r * s) / rows;
      while (x < s + s / 3) {
        const w = rng.range(s / 5, s / 2.5);
        g.fillStyle = rng.pick([c.base, c.light, c.dark]);
        wrapped(s, (dx) => g.fillRect(x + dx, y, w, s / rows));
        g.fillStyle = c.darker;
        wrapped(s, (dx) => g.fillRect(x + dx - 1.5, y, 3, s / rows));
        x += w;
      }
      g.fillRect(0, y - 1.5, s, 3);
    }
  },
  basket: (g, s, c, rng) => {
    // Basket weave: 2 × 2 brick pairs, turned a quarter between neighbours.
    const u = s / 8;
    g.fillStyle = c.darker;
    g.fillRect(0, 0, s, s);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) {
      for (let k = 0; k < 2; k++) {
        g.fillStyle = rng.pick([c.base, c.light, c.dark]);
        if ((i + j) % 2) g.fillRect(i * 2 * u + 1, j * 2 * u + k * u + 1, 2 * u - 2, u - 2);
        else g.fillRect(i * 2 * u + k * u + 1, j * 2 * u + 1, u - 2, 2 * u - 2);
      }
    }
  },
  hex: (g, s, c, rng) => {
    g.fillStyle = c.darker;
    g.fillRect(0, 0, s, s);
    const r = s / 8 - 1.5;
    for (let row = -1; row <= 6; row++) for (let col = -1; col <= 4; col++) {
      const x = col * (s / 4) + (row % 2 ? s / 8 : 0);
      const y = row * (s / 6);
      g.fillStyle = rng.pick([c.base, c.light, c.dark, c.base]);
      g.beginPath();
      for (let k = 0; k < 6; k++) {
        const a = Math.PI / 6 + (k * Math.PI) / 3;
        g.lineTo(x + Math.cos(a) * r * 1.1, y + Math.sin(a) * r);
      }
      g.fill();
    }
  },
  gravel: (g, s, c, rng) => speckle(g, s, rng, [c.light, c.dark, c.darker], 260, [1, 3], 0.8),
  planks: (g, s, c, rng) => {
    const n = 4;
    for (let i = 0; i < n; i++) {
      g.fillStyle = rng.pick([c.base, c.light, c.dark]);
      g.fillRect(0, (i * s) / n, s, s / n);
      g.fillStyle = c.darker;
      g.fillRect(0, (i * s) / n, s, 2);
      g.fillRect(rng.range(0, s), (i * s) / n, 2, s / n);
      g.globalAlpha = 0.25;
      for (let k = 0; k < 3; k++) g.fillRect(0, (i * s) / n + rng.range(4, s / n - 2), s, 1);
      g.globalAlpha = 1;
    }
  },
  carpet: (g, s, c) => {
    g.fillStyle = c.accent;
    g.fillRect(0, 0, s, s);
    g.fillStyle = c.base;
    g.fillRect(5, 5, s - 10, s - 10);
    g.fillStyle = c.accent;
    g.beginPath();
    g.moveTo(s / 2, 12);
    g.lineTo(s - 12, s / 2);
    g.lineTo(s / 2, s - 12);
    g.lineTo(12, s / 2);
    g.fill();
    g.fillStyle = c.light;
    g.fillRect(s / 2 - 4, s / 2 - 4, 8, 8);
  },
  bricks: (g, s, c, rng) => {
    g.fillStyle = c.light;
    g.fillRect(0, 0, s, s);
    const rows = 8;
    const h = s / rows;
    for (let r = 0; r < rows; r++) {
      const offset = r % 2 ? s / 8 : 0;
      for (let k = -1; k < 4; k++) {
        g.fillStyle = rng.pick([c.base, c.base, c.dark, shadeCss(c.hex, 1.1)]);
        g.fillRect(offset + (k * s) / 4 + 1, r * h + 1, s / 4 - 2, h - 2);
      }
    }
  },
  stone: (g, s, c, rng) => {
    g.fillStyle = c.darker;
    g.fillRect(0, 0, s, s);
    const rows = 4;
    for (let r = 0; r < rows; r++) {
      let x = rng.range(-s / 4, 0);
      while (x < s) {
        const w = rng.range(s / 5, s / 2.5);
        g.fillStyle = rng.pick([c.base, c.light, c.dark, c.base]);
        g.fillRect(x + 1.5, (r * s) / rows + 1.5, w - 3, s / rows - 3);
        if (x + w > s) g.fillRect(x - s + 1.5, (r * s) / rows + 1.5, w - 3, s / rows - 3);
        x += w;
      }
    }
  },
  plaster: (g, s, c, rng) => {
    speckle(g, s, rng, [c.light, c.dark], 30, [4, 10], 0.12);
    speckle(g, s, rng, [c.dark], 60, [1, 2], 0.3);
  },
  stripes: (g, s, c) => {
    g.fillStyle = c.accent;
    for (let i = 0; i < 4; i++) g.fillRect((i * s) / 4, 0, s / 8, s);
  },
  panels: (g, s, c) => {
    g.fillStyle = c.dark;
    g.fillRect(0, 0, s, s);
    for (const [x, y] of [[0, 0], [s / 2, 0], [0, s / 2], [s / 2, s / 2]] as const) {
      g.fillStyle = c.light;
      g.fillRect(x + 3, y + 3, s / 2 - 6, s / 2 - 6);
      g.fillStyle = c.base;
      g.fillRect(x + 6, y + 6, s / 2 - 10, s / 2 - 10);
    }
  },
  blocks: (g, s, c, rng) => {
    for (const [x, y] of [[0, 0], [s / 2, 0], [0, s / 2], [s / 2, s / 2]] as const) {
      g.fillStyle = rng.pick([c.base, c.light, c.dark]);
      g.fillRect(x, y, s / 2, s / 2);
    }
    grid(g, s, 2, c.darker, 3);
    speckle(g, s, rng, [c.dark], 40, [1, 2], 0.4);
  },
  roof: (g, s, c, rng) => {
    const rows = 4;
    for (let r = 0; r < rows; r++) for (let k = -1; k < 5; k++) {
      g.fillStyle = rng.pick([c.base, c.dark, c.light]);
      const x = (k * s) / 4 + (r % 2 ? s / 8 : 0);
      g.beginPath();
      g.arc(x + s / 8, (r * s) / rows + s / 8, s / 8, 0, Math.PI);
      g.lineTo(x, (r * s) / rows);
      g.fill();
    }
    g.fillStyle = c.darker;
    for (let r = 0; r < rows; r++) g.fillRect(0, (r * s) / rows, s, 1.5);
  },
  grass: (g, s, c, rng) => {
    speckle(g, s, rng, [c.light, c.dark], 90, [2, 5], 0.35);
    g.fillStyle = c.light;
    for (let i = 0; i < 70; i++) {
      const x = rng.next() * s;
      const y = rng.next() * s;
      g.fillRect(x, y, 1, 3 + rng.next() * 3);
    }
  },
  sand: (g, s, c, rng) => {
    speckle(g, s, rng, [c.light, c.dark], 160, [1, 2], 0.4);
    g.fillStyle = c.dark;
    g.globalAlpha = 0.35;
    for (let i = 0; i < 4; i++) g.fillRect(0, (i * s) / 4 + rng.range(0, 6), s, 2);
    g.globalAlpha = 1;
  },
  snow: (g, s, c, rng) => speckle(g, s, rng, ['#ffffff', '#c9d6ea'], 120, [1, 4], 0.5),
  leaves: (g, s, c, rng) => {
    for (let i = 0; i < 60; i++) {
      g.fillStyle = rng.pick([c.light, c.dark, c.accent, c.base]);
      g.beginPath();
      g.ellipse(rng.next() * s, rng.next() * s, 3, 1.6, rng.next() * 3, 0, Math.PI * 2);
      g.fill();
    }
  },
  heather: (g, s, c, rng) => {
    speckle(g, s, rng, [c.dark, c.light], 100, [2, 4], 0.45);
    speckle(g, s, rng, [c.accent], 70, [1, 3], 0.8);
  },
  bark: (g, s, c, rng) => {
    g.fillStyle = c.dark;
    for (let i = 0; i < 10; i++) g.fillRect(rng.next() * s, 0, rng.range(1, 3), s);
  },
  foliage: (g, s, c, rng) => {
    for (let i = 0; i < 40; i++) {
      g.fillStyle = rng.pick([c.light, c.dark, c.base]);
      const x = rng.next() * s;
      const y = rng.next() * s;
      wrapped(s, (dx, dy) => {
        g.beginPath();
        g.arc(x + dx, y + dy, rng.range(3, 7), 0, Math.PI * 2);
        g.fill();
      });
    }
  },
  rock: (g, s, c, rng) => {
    speckle(g, s, rng, [c.light, c.dark], 50, [3, 8], 0.3);
    g.strokeStyle = c.darker;
    g.lineWidth = 1.5;
    for (let i = 0; i < 5; i++) {
      g.beginPath();
      let x = rng.next() * s;
      let y = rng.next() * s;
      g.moveTo(x, y);
      for (let k = 0; k < 4; k++) g.lineTo((x += rng.range(-10, 10)), (y += rng.range(2, 10)));
      g.stroke();
    }
  },
  water: (g, s, c, rng) => {
    g.strokeStyle = c.light;
    g.lineWidth = 2;
    g.globalAlpha = 0.6;
    for (let i = 0; i < 8; i++) {
      const y = rng.next() * s;
      const x = rng.next() * s;
      g.beginPath();
      g.moveTo(x, y);
      g.quadraticCurveTo(x + 6, y - 3, x + 12, y);
      g.stroke();
    }
    g.globalAlpha = 1;
  },
};

function mixCss(hex: number, other: string, t: number): string {
  return css(mixHex(hex, Number.parseInt(other.slice(1), 16), t));
}

function shadeCss(hex: number, factor: number): string {
  return css(shadeHex(hex, factor));
}
