import { describe, expect, it } from 'vitest';
import { GroundTruthRenderer } from '../../../../engine/sandbox/groundtruth/GroundTruthRenderer.ts';

// Rendering needs Chromium (tests/engine/sandbox/createPolicyEnv.test.ts renders real views); here
// what is refused before anything is launched.
describe('GroundTruthRenderer', () => {
  it('refuses a camera whose aspect is not width / height: training frames are drawn at that aspect', async () => {
    const camera = { fovYDegrees: 70, aspect: 1, near: 0.05, far: 60 };
    await expect(GroundTruthRenderer.launch({ width: 64, height: 32, camera })).rejects.toThrow(/^GroundTruthRenderer: camera\.aspect is 1 but the views are 64×32; .* pass aspect 2\.$/);
  });
});
