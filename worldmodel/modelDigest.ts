import { NextframeError } from './errors.ts';
import type { ModelManifest } from './manifestSchema.ts';

/** Hex sha256 of `bytes` (Web Crypto: browsers on secure origins, Node ≥ 19). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/**
 * Whether `bytes` are the model file the manifest names: true when they hash to its
 * `modelSha256`, or when the manifest records no hash (older exports; nothing to compare).
 */
export async function modelDigestMatches(manifest: ModelManifest, bytes: Uint8Array): Promise<boolean> {
  if (!manifest.modelSha256) return true;
  return (await sha256Hex(bytes)) === manifest.modelSha256;
}

/**
 * Throw `model-corrupt` unless `bytes` hash to the manifest's `modelSha256`: a download that was
 * cut, altered on the way or replaced by another file is refused before onnxruntime sees it.
 */
export async function assertModelDigest(manifest: Pick<ModelManifest, 'id' | 'modelSha256'>, bytes: Uint8Array, where: string): Promise<void> {
  if (!manifest.modelSha256) return;
  const found = await sha256Hex(bytes);
  if (found === manifest.modelSha256) return;
  throw new NextframeError(
    'model-corrupt',
    `assertModelDigest: ${where} (${bytes.length} bytes) has sha256 ${found}, but manifest "${manifest.id}" expects ${manifest.modelSha256}. ` +
      'The download was damaged or the file was replaced: load it again; if it keeps failing, the manifest and model file on the server do not belong together (re-export them).',
  );
}
