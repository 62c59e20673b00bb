import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS, chromiumPath } from './engine/capture/recorder/chromium.ts';

// Browser tests run Debian's Chromium headless against the Vite server the README's
// `npm start` uses. WebGPU comes from SwiftShader (software Vulkan), WebGL2 from ANGLE.
const port = Number(process.env.E2E_PORT ?? 5183);

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list'], ['json']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_FLAGS,
    },
  },
  webServer: {
    command: `node node_modules/vite/bin/vite.js --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}/demos/arena/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
