import { describe, expect, it } from 'vitest';
import { fitRect, layoutViews } from '../../../../engine/runtime/render/layoutViews.ts';

describe('layoutViews', () => {
  it('contains a square frame in a landscape canvas, centred, letterboxed at the sides', () => {
    expect(fitRect({ x: 0, y: 0, width: 1280, height: 720 }, 1, 'contain')).toEqual({ x: 280, y: 0, width: 720, height: 720 });
  });

  it('covers a portrait canvas by cropping the sides (the viewport overflows the canvas)', () => {
    expect(fitRect({ x: 0, y: 0, width: 390, height: 844 }, 1, 'cover')).toEqual({ x: -227, y: 0, width: 844, height: 844 });
    expect(fitRect({ x: 0, y: 0, width: 390, height: 844 }, 1, 'contain')).toEqual({ x: 0, y: 227, width: 390, height: 390 });
  });

  it('shows one view in model and truth modes', () => {
    const model = layoutViews('model', 800, 600, 1, 'contain');
    expect(model.truth).toBeNull();
    expect(model.model!.area).toEqual({ x: 0, y: 0, width: 800, height: 600 });
    expect(layoutViews('truth', 800, 600, 1, 'contain').model).toBeNull();
  });

  it('splits side by side on landscape (truth left) and stacked on portrait (truth on top)', () => {
    const wide = layoutViews('split', 1280, 720, 1, 'contain');
    expect(wide.truth!.area).toEqual({ x: 0, y: 0, width: 640, height: 720 });
    expect(wide.model!.area).toEqual({ x: 640, y: 0, width: 640, height: 720 });
    expect(wide.model!.frame).toEqual({ x: 640, y: 40, width: 640, height: 640 });
    const tall = layoutViews('split', 390, 845, 1, 'contain');
    // WebGL rectangles start at the bottom: the top half has the larger y.
    expect(tall.truth!.area).toEqual({ x: 0, y: 423, width: 390, height: 422 });
    expect(tall.model!.area).toEqual({ x: 0, y: 0, width: 390, height: 423 });
  });
});
