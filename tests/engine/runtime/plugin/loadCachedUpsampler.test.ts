import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCachedUpsampler } from '../../../../engine/runtime/plugin/loadCachedUpsampler.ts';
import { installCache, removeCache } from '../../../support/memoryCache.ts';

const FIXTURE = new URL('../../../fixtures/tiny-upsampler/', import.meta.url).pathname;

afterEach(removeCache);

describe('loadCachedUpsampler', () => {
  it('loads an upsampler through the model cache: downloaded once, then from the cache, its hash checked', async () => {
    const cache = installCache();
    const first = await loadCachedUpsampler(FIXTURE, { fit: { width: 16, height: 16 } });
    expect(first.fromCache).toBe(false);
    expect(first.bytes).toBe(readFileSync(join(FIXTURE, 'model.onnx')).length);
    expect([first.upsampler.kind, first.upsampler.scale, first.upsampler.width]).toEqual(['learned', 4, 16]);
    await first.upsampler.dispose();
    expect(cache.store.size).toBe(1);

    const [key] = cache.store.keys();
    const damaged = cache.store.get(key!)!.slice();
    damaged[damaged.length >> 1]! ^= 0xff;
    cache.store.set(key!, damaged);
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const second = await loadCachedUpsampler(FIXTURE);
      expect(second.cacheRejected).toBe(true);
      expect(second.downloads).toBe(1);
      await second.upsampler.dispose();
    } finally {
      console.warn = warn;
    }
    const third = await loadCachedUpsampler(FIXTURE);
    expect(third.fromCache).toBe(true);
    await third.upsampler.dispose();
  });

  it('refuses an upsampler that does not fit the world model before downloading it (display-mismatch)', async () => {
    const error = await loadCachedUpsampler(FIXTURE, { cache: false, fit: { width: 32, height: 32, id: 'tiny-streams' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'display-mismatch' });
    expect((error as Error).message).toMatch(/"tiny-upsampler" .* does not fit the world model "tiny-streams": it takes 16 × 16 frames, the model paints 32 × 32\./);
  });

  it('says what it found where an upsampler was expected', async () => {
    const worldModel = new URL('../../../fixtures/tiny/', import.meta.url).pathname;
    await expect(loadCachedUpsampler(worldModel, { cache: false })).rejects.toMatchObject({ code: 'manifest-invalid', message: expect.stringMatching(/It is a world model's manifest/) });
  });
});
