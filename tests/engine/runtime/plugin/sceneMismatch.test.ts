import { describe, expect, it } from 'vitest';
import { sceneMismatch } from '../../../../engine/runtime/plugin/sceneMismatch.ts';
import type { ModelManifest } from '../../../../worldmodel/index.ts';

const manifest = (scene?: { id: string; hash?: string }) =>
  ({ id: 'street', training: { dataset: 'd', steps: 1, hardware: 'cpu', wallTimeSeconds: 1, command: 'c', ...(scene ? { scene } : {}) } }) as unknown as ModelManifest;

describe('sceneMismatch', () => {
  it('says nothing when the model learned this scene, or does not say which it learned', () => {
    expect(sceneMismatch(manifest({ id: 'dusk-street', hash: 'abc' }), { id: 'dusk-street', hash: 'abc' })).toBeNull();
    expect(sceneMismatch(manifest(), { id: 'anything' })).toBeNull();
  });

  it('names both scenes when they differ, and a changed scene by its hashes', () => {
    expect(sceneMismatch(manifest({ id: 'arena' }), { id: 'my-game' })).toMatch(/model "street" was trained on scene "arena", this is "my-game"/);
    expect(sceneMismatch(manifest({ id: 'my-game', hash: 'aaa' }), { id: 'my-game', hash: 'bbb' })).toMatch(/earlier version of scene "my-game" \(hash aaa, now bbb\)/);
  });

  it('asks for the scene when the page does not say, and the model knows its own', () => {
    expect(sceneMismatch(manifest({ id: 'arena' }), undefined)).toMatch(/trained on scene "arena" and this page did not say which scene it plays.*Pass world: \{ id, hash \}/);
    expect(sceneMismatch(manifest(), undefined)).toBeNull();
  });
});
