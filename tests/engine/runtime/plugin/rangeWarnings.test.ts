import { describe, expect, it } from 'vitest';
import { rangeWarnings } from '../../../../engine/runtime/plugin/rangeWarnings.ts';
import type { ModelManifest } from '../../../../worldmodel/index.ts';

const manifest = (eyeHeight?: { min: number; max: number }) =>
  ({
    id: 'generalist',
    tickHz: 20,
    camera: { fovYDegrees: 70, near: 0.05, far: 60 },
    training: { dataset: 'd', steps: 1, hardware: 'cpu', wallTimeSeconds: 1, command: 'c', ...(eyeHeight ? { eyeHeight } : {}) },
  }) as unknown as ModelManifest;
const inRange = { hostFovYDegrees: 70, eyeHeight: 1.6, tickHz: 20 };

describe('rangeWarnings', () => {
  it('says nothing when play matches training, within a rounding', () => {
    expect(rangeWarnings(manifest(), inRange)).toEqual([]);
    expect(rangeWarnings(manifest(), { hostFovYDegrees: 70.5, eyeHeight: 1.63, tickHz: 20.2 })).toEqual([]);
    expect(rangeWarnings(manifest({ min: 1.2, max: 1.8 }), { ...inRange, eyeHeight: 1.25 })).toEqual([]);
  });

  it('names an eye height outside the trained range, the range, and how to fix it', () => {
    const [w, ...rest] = rangeWarnings(manifest(), { ...inRange, eyeHeight: 1 });
    expect(rest).toEqual([]);
    // A manifest without eyeHeight was trained at the recorder's 1.6 m.
    expect(w).toMatch(/^eye height 1 m: model "generalist" was trained with the player's eyes at 1.6 m\..*paint worse where memory has nothing.*record --eye-height 1\b.*train --init/);
    expect(rangeWarnings(manifest({ min: 1.2, max: 1.8 }), { ...inRange, eyeHeight: 2.4 })[0]).toMatch(/eyes at 1.2–1.8 m/);
  });

  it('names a field of view the plug-in replaced, and a tick rate the clock could not keep', () => {
    const [fov] = rangeWarnings(manifest(), { ...inRange, hostFovYDegrees: 50 });
    expect(fov).toMatch(/^field of view: your camera's 50° was set to the 70° model "generalist" paints, so the game shows more/);
    const [tick] = rangeWarnings(manifest(), { ...inRange, tickHz: 30 });
    expect(tick).toMatch(/^tick rate: model "generalist" was trained at 20 ticks a second and plays at 30.*less motion/);
    expect(rangeWarnings(manifest(), { hostFovYDegrees: 90, eyeHeight: 0.5, tickHz: 15 })).toHaveLength(3);
  });
});
