import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCachedModel } from '../../../../engine/runtime/plugin/loadCachedModel.ts';
import { BicubicUpsampler } from '../../../../worldmodel/index.ts';
import { installCache, removeCache } from '../../../support/memoryCache.ts';

const FIXTURE = new URL('../../../fixtures/tiny/', import.meta.url).pathname;

afterEach(removeCache);

describe('loadCachedModel', () => {
  it('downloads once, then loads the model bytes from the cache', async () => {
    const cache = installCache();
    const progress: number[] = [];
    const first = await loadCachedModel(FIXTURE, { onProgress: (loaded) => progress.push(loaded) });
    expect(first.fromCache).toBe(false);
    expect(first.bytes).toBe(readFileSync(join(FIXTURE, 'model.onnx')).length);
    expect(progress.at(-1)).toBe(first.bytes);
    expect(cache.store.size).toBe(1);
    await first.model.dispose();

    const second = await loadCachedModel(FIXTURE);
    expect(second.fromCache).toBe(true);
    expect(second.model.manifest.id).toBe('tiny');
    await second.model.dispose();
  });

  it('never uses a cached model whose manifest changed, and drops the stale entry', async () => {
    const cache = installCache();
    const dir = mkdtempSync(join(tmpdir(), 'nf-cache-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const a = await loadCachedModel(dir);
      await a.model.dispose();
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { description: string };
      manifest.description = 're-exported';
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const b = await loadCachedModel(dir);
      expect(b.fromCache).toBe(false);
      expect(cache.store.size).toBe(1); // the old manifest's entry is gone
      await b.model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fetches the model again when the cached copy does not match the manifest hash, and caches the good one', async () => {
    const cache = installCache();
    const a = await loadCachedModel(FIXTURE);
    await a.model.dispose();
    const [key] = cache.store.keys();
    const damaged = cache.store.get(key!)!.slice();
    damaged[damaged.length >> 1]! ^= 0xff; // one byte flipped: still looks like ONNX
    cache.store.set(key!, damaged);
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      const b = await loadCachedModel(FIXTURE);
      expect(b.fromCache).toBe(false);
      expect(b.cacheRejected).toBe(true);
      expect(b.downloads).toBe(1);
      await b.model.dispose();
    } finally {
      console.warn = warn;
    }
    expect(cache.store.get(key!)).toEqual(new Uint8Array(readFileSync(join(FIXTURE, 'model.onnx'))));
  });

  it('throws away a cached copy that does not load when the manifest has no hash', async () => {
    const cache = installCache();
    const dir = mkdtempSync(join(tmpdir(), 'nf-cache-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { modelSha256?: string };
      delete manifest.modelSha256;
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      const a = await loadCachedModel(dir);
      await a.model.dispose();
      const [key] = cache.store.keys();
      cache.store.set(key!, new TextEncoder().encode('<html>not a model</html>'));
      await expect(loadCachedModel(dir)).rejects.toThrow(/not an ONNX model/);
      expect(cache.store.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a model file that does not match the manifest hash is refused with model-corrupt, after its retries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nf-cache-'));
    try {
      cpSync(FIXTURE, dir, { recursive: true });
      const bytes = readFileSync(join(dir, 'model.onnx'));
      bytes[bytes.length >> 1]! ^= 0xff;
      writeFileSync(join(dir, 'model.onnx'), bytes);
      await expect(loadCachedModel(dir, { cache: false, retryDelayMs: 1 })).rejects.toMatchObject({ code: 'model-corrupt', message: /does not match the manifest's modelSha256.*Tried 3 times/s });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('works without the Cache API (Node, or caching off)', async () => {
    const loaded = await loadCachedModel(FIXTURE, { cache: false });
    expect(loaded.fromCache).toBe(false);
    await loaded.model.dispose();
  });

  it('display auto: no upsampler beside the model is bicubic, quietly; one that does not fit is bicubic with a warning', async () => {
    const alone = await loadCachedModel(FIXTURE, { cache: false });
    expect(alone.display).toMatchObject({ upsampler: null, reason: expect.stringMatching(/^no upsampler at .*fixtures\/upsampler\/$/) });
    expect(alone.model.display).toBeNull();
    await alone.model.dispose();
    // A world model with an upsampler folder beside it, made for 16 × 16 frames: the model paints 32 × 32.
    const dir = mkdtempSync(join(tmpdir(), 'nf-display-'));
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (text: string) => void warnings.push(text);
    try {
      cpSync(FIXTURE, join(dir, 'tiny'), { recursive: true });
      cpSync(new URL('../../../fixtures/tiny-upsampler/', import.meta.url).pathname, join(dir, 'upsampler'), { recursive: true });
      const beside = await loadCachedModel(join(dir, 'tiny'), { cache: false });
      expect(beside.display.upsampler).toBeNull();
      expect(beside.display.reason).toMatch(/does not fit the world model "tiny": it takes 16 × 16 frames/);
      expect(warnings).toEqual([expect.stringMatching(/^loadCachedModel: the upsampler at .*upsampler\/ was not used \(.*\); the screen shows the model's frame stretched bicubically\.$/)]);
      await beside.model.dispose();
      // Asked for by URL, it is refused instead.
      await expect(loadCachedModel(join(dir, 'tiny'), { cache: false, display: { upsampler: join(dir, 'upsampler') } })).rejects.toMatchObject({ code: 'display-mismatch' });
      // bicubic: not even looked for.
      warnings.length = 0;
      const bicubic = await loadCachedModel(join(dir, 'tiny'), { cache: false, display: 'bicubic' });
      expect([bicubic.display.upsampler, warnings]).toEqual([null, []]);
      await bicubic.model.dispose();
    } finally {
      console.warn = warn;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('display: an upsampler already made is handed to the model', async () => {
    const upsampler = new BicubicUpsampler({ width: 32, height: 32, scale: 4 });
    const loaded = await loadCachedModel(FIXTURE, { cache: false, display: upsampler });
    expect(loaded.display).toMatchObject({ upsampler, manifestUrl: null, reason: null });
    expect(loaded.model.display).toBe(upsampler);
    await loaded.model.dispose();
    await upsampler.dispose();
  });
});
