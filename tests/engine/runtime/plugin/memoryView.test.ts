import type { WebGLRenderer } from 'three';
import { describe, expect, it } from 'vitest';
import { layoutViews } from '../../../../engine/runtime/render/layoutViews.ts';
import { memoryToRGBA, UNCOVERED_DARK, UNCOVERED_LIGHT } from '../../../../engine/runtime/render/memoryImage.ts';
import { WorldCompositor } from '../../../../engine/runtime/render/WorldCompositor.ts';
import { SpatialMemory } from '../../../../worldmodel/index.ts';

// The memory view: the spatial-memory stream the model was given, as a picture. Drawing needs
// WebGL (tests/e2e/demo.spec.ts checks the screen); here the image and the layout.

describe('memoryToRGBA', () => {
  it('shows covered pixels in their colour and uncovered ones as a magenta checkerboard, row 0 at the top', () => {
    // 2 × 2: pixel 0 covered red, 1 uncovered, 2 uncovered, 3 covered grey.
    const memory = new Float32Array(16);
    memory.set([1, 0, 0, 0], 0); // R
    memory.set([-1, 0, 0, 0], 4); // G
    memory.set([-1, 0, 0, 0], 8); // B
    memory.set([1, 0, 0, 1], 12); // coverage
    const rgba = Array.from(memoryToRGBA(memory, 2, 2));
    expect(rgba.slice(0, 4)).toEqual([255, 0, 0, 255]);
    expect(rgba.slice(4, 8)).toEqual([...UNCOVERED_DARK, 0]); // (1, 0): odd square
    expect(rgba.slice(8, 12)).toEqual([...UNCOVERED_DARK, 0]); // (0, 1): odd square
    expect(rgba.slice(12, 16)).toEqual([128, 128, 128, 255]);
    // Remembered black is not "not remembered".
    const black = new Float32Array(16).fill(-1);
    black.fill(1, 12);
    expect(Array.from(memoryToRGBA(black, 2, 2)).slice(0, 4)).toEqual([0, 0, 0, 255]);
  });

  it('is all checkerboard without a stream, and checks sizes', () => {
    const rgba = memoryToRGBA(null, 3, 1);
    expect(Array.from(rgba)).toEqual([...UNCOVERED_LIGHT, 0, ...UNCOVERED_DARK, 0, ...UNCOVERED_LIGHT, 0]);
    expect(() => memoryToRGBA(new Float32Array(5), 2, 2)).toThrow(/16 values/);
    expect(() => memoryToRGBA(null, 2, 2, new Uint8ClampedArray(3))).toThrow(/16 bytes/);
  });

  it('pictures what SpatialMemory renders: the seen part of a turned view in colour, the rest marked', () => {
    const memory = new SpatialMemory({ width: 8, height: 8, fovYDegrees: 70, near: 0.05, far: 60 });
    const frame = new Float32Array(3 * 64).fill(0.5);
    const depth = new Float32Array(64).fill(4);
    memory.insert(frame, depth, { x: 0, y: 1.6, z: 0, yaw: 0, pitch: 0 }, 0);
    const stream = memory.render({ x: 0, y: 1.6, z: 0, yaw: 0.6, pitch: 0 }, depth);
    const rgba = memoryToRGBA(stream, 8, 8);
    let covered = 0;
    for (let p = 0; p < 64; p++) {
      if (rgba[4 * p + 3] === 255) {
        covered++;
        expect(rgba[4 * p]).toBe(191); // 0.5 → (1.5 · 127.5) rounded
      } else expect([UNCOVERED_LIGHT[0], UNCOVERED_DARK[0]]).toContain(rgba[4 * p]);
    }
    expect(covered / 64).toBeCloseTo(memory.lastCoverage, 6);
    expect(covered).toBeGreaterThan(0);
    expect(covered).toBeLessThan(64);
  });
});

describe('the memory view mode', () => {
  it('lays the memory view out over the whole canvas, alone', () => {
    const layout = layoutViews('memory', 800, 600, 1, 'contain');
    expect(layout.model).toBeNull();
    expect(layout.truth).toBeNull();
    expect(layout.memory!.area).toEqual({ x: 0, y: 0, width: 800, height: 600 });
    expect(layout.memory!.frame).toEqual({ x: 100, y: 0, width: 600, height: 600 });
    expect(layoutViews('model', 800, 600, 1, 'contain').memory).toBeNull();
    expect(layoutViews('split', 800, 600, 1, 'contain').memory).toBeNull();
  });

  it('keeps the memory image in the compositor (CPU side) and frees it on dispose', () => {
    const compositor = new WorldCompositor({ renderer: {} as WebGLRenderer, width: 2, height: 1 });
    expect(Array.from(compositor.memoryPixels)).toEqual([...UNCOVERED_LIGHT, 0, ...UNCOVERED_DARK, 0]); // nothing given yet
    compositor.setMemory(new Float32Array([1, -1, -1, 1, -1, -1, 1, 0]));
    expect(Array.from(compositor.memoryPixels)).toEqual([255, 0, 0, 255, ...UNCOVERED_DARK, 0]);
    compositor.setMemory(null);
    expect(compositor.memoryPixels[3]).toBe(0);
    compositor.dispose();
    expect(() => compositor.setMemory(null)).toThrow(/after dispose/);
  });
});
