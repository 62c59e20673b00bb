import { CanvasTexture, RepeatWrapping, SRGBColorSpace } from 'three';
import { NextframeError } from '../../../worldmodel/index.ts';
import type { SceneMaterial } from './SceneDescription.ts';

/**
 * Procedural textures drawn on a canvas (browser only): a bold base colour with a pattern in
 * lighter and darker shades of it, so surfaces show motion and distance while the colour alone
 * still names the place at 64 × 64. Deterministic: no randomness beyond a fixed hash.
 */
export function canvasTexture(material: SceneMaterial, size = 128): CanvasTexture {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  const g = canvas.getContext('2d');
  if (!g) throw new NextframeError('browser-failed', 'canvasTexture: this browser gave no 2D canvas context; build the scene with textures: false, or run where canvas 2D works.');
  const base = `#${material.color.toString(16).padStart(6, '0')}`;
  g.fillStyle = base;
  g.fillRect(0, 0, size, size);
  const light = shade(material.color, 1.25);
  const dark = shade(material.color, 0.7);
  const s = size;
  switch (material.pattern) {
    case 'tiles': {
      // 2 × 2 tiles, two tones, dark grout.
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
        g.fillStyle = (i + j) % 2 === 0 ? base : shade(material.color, 0.88);
        g.fillRect((i * s) / 2, (j * s) / 2, s / 2, s / 2);
      }
      g.strokeStyle = dark;
      g.lineWidth = s / 24;
      g.strokeRect(0, 0, s, s);
      g.beginPath();
      g.moveTo(s / 2, 0);
      g.lineTo(s / 2, s);
      g.moveTo(0, s / 2);
      g.lineTo(s, s / 2);
      g.stroke();
      break;
    }
    case 'bricks': {
      const rows = 4;
      const h = s / rows;
      for (let r = 0; r < rows; r++) {
        const offset = r % 2 === 0 ? 0 : s / 4;
        for (let c = -1; c < 2; c++) {
          g.fillStyle = hash(r, c) > 0.5 ? light : base;
          g.fillRect(offset + (c * s) / 2 + 2, r * h + 2, s / 2 - 4, h - 4);
        }
      }
      g.strokeStyle = dark;
      g.lineWidth = s / 32;
      for (let r = 0; r <= rows; r++) line(g, 0, r * h, s, r * h);
      break;
    }
    case 'stone': {
      for (let i = 0; i < 10; i++) {
        g.fillStyle = hash(i, 7) > 0.5 ? light : dark;
        g.globalAlpha = 0.35;
        const x = hash(i, 1) * s;
        const y = hash(i, 2) * s;
        const r = (0.08 + 0.12 * hash(i, 3)) * s;
        g.beginPath();
        g.arc(x, y, r, 0, Math.PI * 2);
        g.fill();
      }
      g.globalAlpha = 1;
      g.strokeStyle = dark;
      g.lineWidth = s / 40;
      g.strokeRect(0, 0, s, s);
      break;
    }
    case 'planks': {
      const n = 4;
      for (let i = 0; i < n; i++) {
        g.fillStyle = i % 2 === 0 ? base : shade(material.color, 0.85);
        g.fillRect(0, (i * s) / n, s, s / n);
      }
      g.strokeStyle = dark;
      g.lineWidth = s / 28;
      for (let i = 0; i <= n; i++) line(g, 0, (i * s) / n, s, (i * s) / n);
      g.strokeRect(0, 0, s, s);
      break;
    }
    case 'stripes': {
      g.fillStyle = light;
      for (let i = 0; i < 2; i++) g.fillRect(0, (i * s) / 2, s, s / 8);
      g.fillStyle = dark;
      for (let i = 0; i < 2; i++) g.fillRect(0, (i * s) / 2 + s / 8, s, s / 32);
      break;
    }
    case 'bark': {
      g.strokeStyle = dark;
      g.lineWidth = s / 20;
      for (let i = 0; i < 6; i++) line(g, ((i + 0.5) * s) / 6, 0, ((i + 0.5 + hash(i, 4) - 0.5) * s) / 6, s);
      break;
    }
    case 'leaves': {
      for (let i = 0; i < 40; i++) {
        g.fillStyle = hash(i, 5) > 0.5 ? light : dark;
        g.beginPath();
        g.arc(hash(i, 8) * s, hash(i, 9) * s, s / 14, 0, Math.PI * 2);
        g.fill();
      }
      break;
    }
    case 'plain':
      break;
  }
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.wrapS = texture.wrapT = RepeatWrapping;
  texture.anisotropy = 4;
  return texture;
}

function line(g: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  g.beginPath();
  g.moveTo(x0, y0);
  g.lineTo(x1, y1);
  g.stroke();
}

/** A colour scaled in brightness, as a CSS string. */
function shade(color: number, factor: number): string {
  const c = (shift: number): number => Math.max(0, Math.min(255, Math.round(((color >> shift) & 255) * factor)));
  return `rgb(${c(16)}, ${c(8)}, ${c(0)})`;
}

/** A fixed pseudo-random value in [0, 1) for integer coordinates. */
function hash(a: number, b: number): number {
  const x = Math.sin(a * 127.1 + b * 311.7) * 43758.5453;
  return x - Math.floor(x);
}
