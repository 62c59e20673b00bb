// `npm start`: install npm packages if needed, then serve the playable demo with the bundled
// model. Plain Node: it must start before node_modules exists.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureNodeModules, repoRoot } from '../engine/tools/cli/setup.mjs';

ensureNodeModules();
const port = process.env.PORT ?? '5173';
process.stderr.write(`[nextframe] serving the demo at http://127.0.0.1:${port}/ (Ctrl+C to stop)\n`);
const vite = spawn(join(repoRoot, 'node_modules', '.bin', 'vite'), ['--host', '127.0.0.1', '--port', port, ...process.argv.slice(2)], {
  cwd: repoRoot,
  stdio: 'inherit',
});
vite.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => vite.kill(signal));
