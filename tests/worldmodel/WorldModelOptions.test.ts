import { describe, expect, expectTypeOf, it } from 'vitest';
import type { OrtSessionOptions } from '../../worldmodel/OrtSession.ts';
import type { WorldModelOptions as FromWorldModel } from '../../worldmodel/WorldModel.ts';
import type { WorldModelOptions } from '../../worldmodel/WorldModelOptions.ts';
import type { WorldModelOptions as FromIndex } from '../../worldmodel/index.ts';

// A type: these checks fail the type check (npx tsc), which covers tests/.
describe('WorldModelOptions', () => {
  it('is the one type the model and the package entry name', () => {
    expectTypeOf<FromWorldModel>().toEqualTypeOf<WorldModelOptions>();
    expectTypeOf<FromIndex>().toEqualTypeOf<WorldModelOptions>();
  });

  it("takes the ORT session's options, a seed, sampler overrides, progress and memory settings, all optional", () => {
    expectTypeOf<WorldModelOptions>().toMatchTypeOf<OrtSessionOptions>();
    const none = {} satisfies WorldModelOptions;
    expect(none).toEqual({});
    const options = {
      device: 'wasm',
      threads: 1,
      seed: 3,
      sampler: { method: 'heun', steps: 2 },
      onProgress: (loaded: number, total: number | null) => void [loaded, total],
      memory: {},
    } satisfies WorldModelOptions;
    expect(Object.keys(options).sort()).toEqual(['device', 'memory', 'onProgress', 'sampler', 'seed', 'threads']);
  });

  it('lets callers override only the method and steps of the sampler', () => {
    // @ts-expect-error: σ bounds come from the manifest the model was trained with.
    const bad: WorldModelOptions = { sampler: { sigmaMax: 80 } };
    expect(bad.sampler).toEqual({ sigmaMax: 80 });
  });
});
