import { describe, expect, it } from 'vitest';
import { firstFrameBreakdown } from '../../../../engine/tools/soak/firstFrame.ts';

const marks = { boot: 3000, 'model-loaded': 9000, 'world-built': 11000, 'first-truth': 12500, 'first-model-frame': 13000 };

describe('firstFrameBreakdown', () => {
  it('splits navigation → first model frame into phases that add up to it', () => {
    const { firstFrameSeconds, phases } = firstFrameBreakdown({ marks, modelRequest: { start: 3500, end: 5000 } });
    expect(firstFrameSeconds).toBe(13);
    expect(phases).toEqual({ pageLoad: 3, deviceAndManifest: 0.5, modelDownload: 1.5, sessionCreate: 4, worldBuild: 2, firstTruth: 1.5, firstModelStep: 0.5 });
    const sum = Object.values(phases).reduce((n: number, v) => n + (v ?? 0), 0);
    expect(sum).toBeCloseTo(13, 10);
  });

  it('a model from the Cache API (no download timing): no download, the session phase starts at boot', () => {
    const { phases } = firstFrameBreakdown({ marks, modelRequest: null });
    expect(phases.deviceAndManifest).toBeNull();
    expect(phases.modelDownload).toBe(0);
    expect(phases.sessionCreate).toBe(6);
  });

  it('a page that never painted a model frame: no first frame, and null for the phases it did not reach', () => {
    const { firstFrameSeconds, phases } = firstFrameBreakdown({ marks: { boot: 2000 }, modelRequest: null });
    expect(firstFrameSeconds).toBeNull();
    expect(phases.pageLoad).toBe(2);
    expect(phases.modelDownload).toBeNull();
    expect(phases.sessionCreate).toBeNull();
    expect(phases.firstModelStep).toBeNull();
  });
});
