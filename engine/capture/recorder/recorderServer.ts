import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer, type ViteDevServer } from 'vite';

/** The repository root, which vite serves (pages at /engine/…, /demos/…). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** A free TCP port on 127.0.0.1, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The repo's vite server on 127.0.0.1 and a free port, for the recorder page (`allow`: more
 * folders it may serve, e.g. a scene module's; `headers`: sent with every response, e.g. the
 * cross-origin isolation the demo needs for WASM threads). Dependencies are
 * served as they are (no pre-bundling: three and Rapier ship ES modules), with a private cache
 * folder so concurrent servers never share one.
 */
export async function startRecorderServer(options: { allow?: readonly string[]; headers?: Readonly<Record<string, string>> } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const port = await freePort();
  const cacheDir = mkdtempSync(join(tmpdir(), 'nextframe-vite-'));
  let server: ViteDevServer;
  try {
    server = await createServer({
      root: repoRoot,
      configFile: false, appType: 'mpa', // not the demo's vite.config.ts (an installed package has none); a missing file stays a 404
      cacheDir,
      logLevel: 'error',
      clearScreen: false,
      // Scene modules may live outside the repo (a user's game): their folder is allowed, and
      // their `three` import resolves to the repo's copy, so there is one three in the page.
      server: { host: '127.0.0.1', port, strictPort: true, hmr: false, watch: null, fs: { allow: [repoRoot, ...(options.allow ?? [])] }, ...(options.headers ? { headers: { ...options.headers } } : {}) },
      resolve: { dedupe: ['three', '@dimforge/rapier3d-compat'] },
      optimizeDeps: { noDiscovery: true, include: [] },
    });
    await server.listen();
  } catch (error) {
    rmSync(cacheDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await server.close();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
}
