import { describe, expect, it } from 'vitest';
import { DynamicResolution } from '../../../../engine/runtime/render/DynamicResolution.ts';

describe('DynamicResolution', () => {
  it('lowers the resolution while drawing holds the display rate under the target, down to the minimum', () => {
    const dr = new DynamicResolution({ targetFps: 50, min: 0.4 });
    expect(dr.scale).toBe(1);
    expect(dr.update(20, 20)).toBeLessThan(1);
    for (let i = 0; i < 20; i++) dr.update(20, 20);
    expect(dr.scale).toBe(0.4);
  });

  it('does not blame drawing when few frames draw (the page is slow for another reason)', () => {
    const dr = new DynamicResolution({ targetFps: 50 });
    expect(dr.update(20, 3)).toBe(1);
  });

  it('climbs back only after several good windows in a row', () => {
    const dr = new DynamicResolution({ targetFps: 50, patience: 3 });
    dr.update(20, 20);
    const low = dr.scale;
    dr.update(60, 60);
    dr.update(60, 60);
    expect(dr.scale).toBe(low);
    dr.update(60, 60);
    expect(dr.scale).toBeGreaterThan(low);
    for (let i = 0; i < 50; i++) dr.update(60, 60);
    expect(dr.scale).toBe(1);
  });

  it('holds the scale while little is drawn: an idle screen says nothing about the cost of pixels', () => {
    const dr = new DynamicResolution({ targetFps: 50, patience: 1 });
    dr.update(20, 20);
    const low = dr.scale;
    for (let i = 0; i < 10; i++) dr.update(60, 2);
    expect(dr.scale).toBe(low);
  });
});
