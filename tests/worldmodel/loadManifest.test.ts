import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadManifest } from '../../worldmodel/loadManifest.ts';
import { errorOf } from '../support/errorOf.ts';

const tiny = fileURLToPath(new URL('../fixtures/tiny/', import.meta.url));

/** A model folder holding `text` as its manifest.json. */
function folderWith(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nextframe-manifest-'));
  writeFileSync(join(dir, 'manifest.json'), text);
  return dir;
}

describe('loadManifest', () => {
  it('finds manifest.json in a folder given with or without a slash, or takes the file itself', async () => {
    const expected = pathToFileURL(join(tiny, 'manifest.json')).href;
    for (const location of [tiny, tiny.replace(/\/$/, ''), join(tiny, 'manifest.json'), pathToFileURL(tiny)]) {
      const { manifest, url } = await loadManifest(location);
      expect(manifest.id).toBe('tiny');
      expect(url.href).toBe(expected);
    }
  });

  it('gives the URL the files it names resolve against', async () => {
    const { manifest, url } = await loadManifest(tiny);
    expect(fileURLToPath(new URL(manifest.modelFile, url))).toBe(join(tiny, 'model.onnx'));
  });

  it('says what is wrong with a file that is not JSON, or not a valid manifest', async () => {
    const notJson = await errorOf(loadManifest(folderWith('<!doctype html>')));
    expect(notJson.code).toBe('manifest-invalid');
    expect(notJson.message).toMatch(/^loadManifest: .*manifest\.json is not JSON/);
    const manifest = JSON.parse(readFileSync(join(tiny, 'manifest.json'), 'utf8'));
    const invalid = await errorOf(loadManifest(folderWith(JSON.stringify({ ...manifest, contextFrames: 0 }))));
    expect(invalid.code).toBe('manifest-invalid');
    expect(invalid.message).toMatch(/"contextFrames"/);
  });

  it('a missing manifest is reported with its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nextframe-manifest-'));
    const error = await errorOf(loadManifest(dir));
    expect(error.code).toBe('model-not-found');
    expect(error.message).toContain(join(dir, 'manifest.json'));
  });
});
