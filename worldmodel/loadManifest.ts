import { NextframeError } from './errors.ts';
import { loadBytes, resolveLocation } from './loadBytes.ts';
import type { ModelManifest } from './manifestSchema.ts';
import { parseManifest } from './parseManifest.ts';

/**
 * A model's manifest from its folder (`…/models/arena/`, `…/models/arena`) or its `manifest.json`,
 * by URL or, in Node, by path: fetched, parsed and validated. `url` is where it was found: the
 * files it names (`modelFile`) lie beside it; `text` is the file as read (a cache key can hash it).
 */
export function loadManifest(location: string | URL): Promise<{ manifest: ModelManifest; url: URL; text: string }>;
/** The same for another kind of manifest (an upsampler's), validated by `parse`. */
export function loadManifest<T>(location: string | URL, parse: (raw: unknown, source: string) => T): Promise<{ manifest: T; url: URL; text: string }>;
export async function loadManifest(location: string | URL, parse: (raw: unknown, source: string) => unknown = parseManifest): Promise<{ manifest: unknown; url: URL; text: string }> {
  let url = await resolveLocation(location);
  if (!url.pathname.endsWith('.json')) url = new URL(url.pathname.endsWith('/') ? 'manifest.json' : `${url.pathname.split('/').pop()}/manifest.json`, url);
  const text = new TextDecoder().decode(await loadBytes(url, 'manifest.json'));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NextframeError('manifest-invalid', `loadManifest: ${url.href} is not JSON (${String(error)}). Expected a manifest.json written by \`npx nextframe export\`.`, { cause: error });
  }
  return { manifest: parse(raw, url.href), url, text };
}
