import { PerspectiveCamera, type WebGLRenderer, Scene } from 'three';
import { describe, expect, it } from 'vitest';
import type { PlayerInput } from '../../../../engine/runtime/input/PlayerInput.ts';
import type { PhysicsWorld } from '../../../../engine/runtime/physics/PhysicsWorld.ts';
import type { RapierModule } from '../../../../engine/runtime/physics/rapierTypes.ts';
import { playerLoopOptions, type PlayerLoopHooks } from '../../../../engine/runtime/plugin/playerLoopOptions.ts';
import type { WorldModelPluginOptions } from '../../../../engine/runtime/plugin/WorldModelPluginOptions.ts';
import type { WorldModel } from '../../../../worldmodel/index.ts';

// Plain stand-ins: the function only passes these along, so identity is all that is checked.
const model = { id: 'model' } as unknown as WorldModel;
const physics = { id: 'physics' } as unknown as PhysicsWorld;
const input = { id: 'input' } as unknown as PlayerInput;
const hooks: PlayerLoopHooks = {
  renderTruth: (_pose, out) => out,
  onThrow: () => {},
  onFrame: () => {},
  onError: () => {},
};

function pluginOptions(extra: Partial<WorldModelPluginOptions> = {}): WorldModelPluginOptions {
  const camera = new PerspectiveCamera();
  camera.position.set(2, 3.1, -4);
  camera.rotation.set(0, 0.75, 0, 'YXZ');
  return { renderer: {} as WebGLRenderer, scene: new Scene(), camera, model, rapier: {} as RapierModule, ...extra };
}

describe('playerLoopOptions', () => {
  it('puts the player under the camera by default: feet 1.6 m below the eye, facing where it faces', () => {
    const options = playerLoopOptions(pluginOptions(), physics, null, hooks);
    expect(options.spawn).toEqual({ x: 2, y: 3.1 - 1.6, z: -4, yaw: 0.75 });
    expect(options.model).toBe(model);
    expect(options.physics).toBe(physics);
    expect(options.input).toBeNull();
  });

  it("uses the character's eye height for that, and passes the character on", () => {
    const character = { eyeHeight: 1.1, radius: 0.3 };
    const options = playerLoopOptions(pluginOptions({ character }), physics, input, hooks);
    expect(options.spawn.y).toBeCloseTo(2, 12);
    expect(options.character).toBe(character);
    expect(options.input).toBe(input);
  });

  it('keeps a given spawn, speculation and world', () => {
    const spawn = { x: 9, y: 0, z: 9, yaw: -1 };
    const speculation = { mode: 'single' as const, lookahead: 1, budget: 1 };
    const world = { id: 'arena', hash: 'abc' };
    const options = playerLoopOptions(pluginOptions({ spawn, speculation, world }), physics, null, hooks);
    expect(options.spawn).toBe(spawn);
    expect(options.speculation).toBe(speculation);
    expect(options.world).toBe(world);
  });

  it('turns survey: true into eight headings, and keeps a given number', () => {
    expect(playerLoopOptions(pluginOptions({ survey: true }), physics, null, hooks).survey).toEqual({ headings: 8 });
    expect(playerLoopOptions(pluginOptions({ survey: {} }), physics, null, hooks).survey).toEqual({ headings: 8 });
    expect(playerLoopOptions(pluginOptions({ survey: { headings: 6 } }), physics, null, hooks).survey).toEqual({ headings: 6 });
    expect(playerLoopOptions(pluginOptions({ survey: false }), physics, null, hooks).survey).toBeUndefined();
  });

  it('hands over the hooks, and leaves out what was not given', () => {
    const options = playerLoopOptions(pluginOptions(), physics, null, hooks);
    expect([options.renderTruth, options.onThrow, options.onFrame, options.onError]).toEqual([hooks.renderTruth, hooks.onThrow, hooks.onFrame, hooks.onError]);
    expect(Object.keys(options).sort()).toEqual(['input', 'model', 'onError', 'onFrame', 'onThrow', 'physics', 'renderTruth', 'spawn']);
  });
});
