import type { WebGLRenderer } from 'three';
import { describe, expect, it } from 'vitest';
import { WorldCompositor } from '../../../../engine/runtime/render/WorldCompositor.ts';

// Drawing needs WebGL (tests/e2e/plugin.spec.ts draws and checks GPU memory); here the CPU side:
// frame conversion, argument checks and the dispose lifecycle.
const noRenderer = {} as WebGLRenderer;

describe('WorldCompositor (CPU side)', () => {
  it('turns a CHW frame in [−1, 1] into RGBA bytes, row 0 at the top', () => {
    const compositor = new WorldCompositor({ renderer: noRenderer, width: 2, height: 2 });
    const frame = new Float32Array(12);
    frame.set([-1, 1, 0, 1], 0); // R per pixel
    frame.set([1, 1, -1, -1], 4); // G
    frame.set([-1, -1, -1, 1], 8); // B
    compositor.setFrame(frame);
    expect(Array.from(compositor.pixels)).toEqual([0, 255, 0, 255, 255, 255, 0, 255, 128, 0, 0, 255, 255, 0, 255, 255]);
    compositor.dispose();
  });

  it('keeps a display frame (the display size, RGBA, row 0 at the top) until it is taken away', () => {
    const compositor = new WorldCompositor({ renderer: noRenderer, width: 1, height: 1, display: { width: 2, height: 1 } });
    expect(compositor.displayPixels).toBeNull();
    expect(compositor.drawn).toEqual({ path: 'bicubic', width: 1, height: 1 }); // nothing drawn yet: the model's frame
    compositor.setDisplay(Float32Array.from([1, -1, -1, 1, -1, -1])); // R, G, B planes of two pixels
    expect(Array.from(compositor.displayPixels!)).toEqual([255, 0, 0, 255, 0, 255, 0, 255]);
    compositor.setDisplay(null);
    expect(compositor.displayPixels).toBeNull();
    expect(() => compositor.setDisplay(new Float32Array(3))).toThrow(/expected 6 values/);
    compositor.dispose();
    const plain = new WorldCompositor({ renderer: noRenderer, width: 1, height: 1 });
    expect(() => plain.setDisplay(new Float32Array(3))).toThrow(/made without a display size/);
    plain.dispose();
    expect(() => new WorldCompositor({ renderer: noRenderer, width: 4, height: 4, display: { width: 2, height: 2 } })).toThrow(/at least the model's 4 × 4/);
  });

  it('checks sizes and refuses use after dispose', () => {
    expect(() => new WorldCompositor({ renderer: noRenderer, width: 0, height: 2 })).toThrow(/positive integers/);
    const compositor = new WorldCompositor({ renderer: noRenderer, width: 4, height: 4 });
    expect(() => compositor.setDepth(new Float32Array(3))).toThrow(/16 values/);
    compositor.dispose();
    compositor.dispose();
    expect(compositor.isDisposed).toBe(true);
    expect(() => compositor.setFrame(new Float32Array(48))).toThrow(/after dispose/);
  });
});
