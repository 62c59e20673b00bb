import type * as NodeFs from 'node:fs/promises';
import type * as NodeUrl from 'node:url';
import { NextframeError } from './errors.ts';

/** Download progress: bytes so far and the total when the server says it. */
export type ProgressCallback = (loaded: number, total: number | null) => void;

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/**
 * Resolve what a caller passed as a location: an absolute URL, a URL relative to the page,
 * or (in Node) a filesystem path.
 */
export async function resolveLocation(location: string | URL): Promise<URL> {
  if (location instanceof URL) return location;
  if (/^[a-z][a-z0-9+.-]*:/i.test(location) && !/^[a-z]:[\\/]/i.test(location)) return new URL(location);
  if (isNode) {
    const { pathToFileURL } = (await import(/* @vite-ignore */ nodeModule('url'))) as typeof NodeUrl;
    return pathToFileURL(location);
  }
  return new URL(location, globalThis.location?.href);
}

/** Fetch a whole resource as bytes, with progress; `file:` URLs are read from disk in Node. */
export async function loadBytes(url: URL, what: string, onProgress?: ProgressCallback): Promise<Uint8Array> {
  if (url.protocol === 'file:') {
    if (!isNode) throw new NextframeError('model-not-found', `loadBytes: cannot read ${what} from ${url.href} in a browser; serve it over http(s).`);
    const { readFile } = (await import(/* @vite-ignore */ nodeModule('fs/promises'))) as typeof NodeFs;
    const { fileURLToPath } = (await import(/* @vite-ignore */ nodeModule('url'))) as typeof NodeUrl;
    try {
      const bytes = new Uint8Array(await readFile(fileURLToPath(url)));
      onProgress?.(bytes.length, bytes.length);
      return bytes;
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new NextframeError(
        'model-not-found',
        `loadBytes: ${what} not found at ${fileURLToPath(url)} (${code ?? String(error)}). Check the path; models live in public/models/<id>/.`,
        { cause: error },
      );
    }
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new NextframeError('model-not-found', `loadBytes: could not reach ${url.href} for ${what} (${String(error)}). Is the server running?`, { cause: error });
  }
  if (!response.ok) {
    throw new NextframeError(
      'model-not-found',
      `loadBytes: ${what} at ${url.href} answered HTTP ${response.status} ${response.statusText}. Expected the file to be served there; check the model URL.`,
    );
  }
  const header = response.headers.get('content-length');
  const total = header ? Number(header) : null;
  if (!response.body) {
    const bytes = new Uint8Array(await response.arrayBuffer());
    onProgress?.(bytes.length, total ?? bytes.length);
    return bytes;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  onProgress?.(0, total);
  const cut = (why: string, cause?: unknown): NextframeError =>
    new NextframeError(
      'download-incomplete',
      `loadBytes: the download of ${what} from ${url.href} was cut off after ${loaded} of ${total ?? 'an unknown number of'} bytes (${why}). ` +
        'Nothing was loaded; check the connection and load the model again.',
      cause === undefined ? undefined : { cause },
    );
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      throw cut(String(error), error);
    }
    if (chunk.done) break;
    chunks.push(chunk.value);
    loaded += chunk.value.length;
    onProgress?.(loaded, total);
  }
  // A compressed response's Content-Length counts the encoded bytes: compare only plain ones.
  if (total !== null && loaded < total && !response.headers.get('content-encoding')) throw cut('the connection closed early');
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

/**
 * Cheap sanity check before handing bytes to onnxruntime: an ONNX file is a protobuf
 * `ModelProto` whose first field is `ir_version` (tag byte 0x08). Catches HTML error pages,
 * JSON and truncated downloads with a message a person can act on.
 */
export function assertOnnxBytes(bytes: Uint8Array, where: string): void {
  const head = new TextDecoder().decode(bytes.subarray(0, 64)).trimStart();
  let found: string | null = null;
  if (bytes.length < 16) found = `${bytes.length} bytes`;
  else if (head.startsWith('<')) found = 'an HTML page (a server error or fallback page?)';
  else if (head.startsWith('{') || head.startsWith('[')) found = 'JSON text';
  else if (bytes[0] !== 0x08) found = `bytes starting 0x${Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (found !== null) {
    throw new NextframeError('not-onnx', `loadBytes: ${where} is not an ONNX model: expected a protobuf ModelProto, found ${found}. Re-export it with \`npx nextframe export\`.`);
  }
}

// Kept out of static analysis so bundlers do not try to pull Node built-ins into a browser build.
function nodeModule(name: string): string {
  return `node:${name}`;
}
