import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelActionSlots, toModelAction } from '../../../../engine/runtime/plugin/modelActionSlots.ts';
import { NextframeError } from '../../../../worldmodel/errors.ts';
import { parseManifest } from '../../../../worldmodel/parseManifest.ts';

const manifest = parseManifest(JSON.parse(readFileSync(new URL('../../../fixtures/tiny/manifest.json', import.meta.url), 'utf8')));

describe('modelActionSlots', () => {
  it('maps the host slots to the model slots by name, in the model order', () => {
    // The host's order is forward, strafe, up, yaw, pitch, jump, interact (ACTION).
    const reordered = { ...manifest, actions: [manifest.actions[3]!, manifest.actions[0]!] };
    expect(reordered.actions.map((s) => s.name)).toEqual(['yaw', 'forward']);
    const slots = modelActionSlots(reordered);
    expect(Array.from(slots)).toEqual([3, 0]);
    const out = toModelAction(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 1, 0]), slots, new Float32Array(2));
    expect(Array.from(out)).toEqual([Math.fround(0.4), Math.fround(0.1)]);
  });

  it('refuses a slot the host cannot produce, naming it and the ones it can', () => {
    const bad = { ...manifest, actions: [{ ...manifest.actions[0]!, name: 'crouch' }] };
    expect(() => modelActionSlots(bad)).toThrow(NextframeError);
    expect(() => modelActionSlots(bad)).toThrow(/"crouch".*forward, strafe, up, yaw, pitch, jump, interact/);
    try {
      modelActionSlots(bad);
    } catch (error) {
      expect((error as NextframeError).code).toBe('unknown-action-slot');
    }
  });
});
