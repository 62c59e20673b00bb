import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import { episodeUploads } from './engine/capture/recorder/episodeUploads.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** `/` opens the default demo. */
function demoHome(): Plugin {
  const redirect = (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.url === '/' || req.url === '/index.html') {
      res.statusCode = 302;
      res.setHeader('Location', '/demos/arena/');
      res.end();
    } else {
      next();
    }
  };
  return {
    name: 'nextframe-demo-home',
    configureServer: (server) => void server.middlewares.use(redirect),
    configurePreviewServer: (server) => void server.middlewares.use(redirect),
  };
}

export default defineConfig({
  // The repo root is served: demos at /demos/<name>/, shipped models at /models/<id>/
  // (from public/), test fixtures at /tests/fixtures/.
  root: '.',
  publicDir: 'public',
  // Multi-page app: a missing file is a 404, never index.html (the loader must see the 404).
  appType: 'mpa',
  // Record mode in the demo posts episodes here (data/recorded/ by default).
  plugins: [demoHome(), episodeUploads()],
  server: { host: '127.0.0.1', headers: isolation },
  preview: { host: '127.0.0.1', headers: isolation },
  // onnxruntime-web finds its .wasm next to its own module; pre-bundling would move it.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: {
    // dist/ is the library build (npm run build:lib); the demo pages go elsewhere.
    outDir: 'dist-demo',
    target: 'es2022',
    rollupOptions: { input: { arena: 'demos/arena/index.html', r3f: 'demos/r3f/index.html' } },
  },
});
