import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerFiles } from './consumerProject.ts';

// The package as a user gets it: `npm pack` (which builds dist/), the tarball installed into a
// fresh project outside the repository beside the peers, then used the way the README says:
// Node, tsc against the shipped .d.ts, vite builds of a nextframe/engine page and an r3f page,
// and the installed CLI. Installs prefer npm's cache (filled by `npm ci`), at the versions the
// repository's lockfile pinned.

const root = fileURLToPath(new URL('../../', import.meta.url));
const r3fSource = join(root, 'engine/runtime/r3f/index.ts');
// The binding is being written beside this test; (d) runs once its entry exists.
const hasR3f = existsSync(r3fSource);

let project = '';

/** `name@version` as installed in the repository, so the consumer's install hits npm's cache. */
const pinned = (name: string): string => `${name}@${(JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version}`;

// npm run-script exports settings of the outer project (its prefix, among others); the
// consumer's npm and tools must see only their own.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config_(local_prefix|prefix|global)|package_)/i.test(key) && key !== 'INIT_CWD'));

function run(command: string, args: string[], cwd = project): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>, what: string): string {
  expect(result.status, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const bin = (name: string): string => join(project, 'node_modules', '.bin', name);

function npmInstall(specs: string[]): void {
  ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...specs]), `npm install ${specs.join(' ')}`);
}

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

const bundleText = (outDir: string): string =>
  [...files(outDir)]
    .filter((f) => f.endsWith('.js'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');

/**
 * What a browser bundle must not hold: Node built-ins (imported, or stubbed by vite for the
 * browser) and the CLI, recorder or sandbox. Two `node:` strings are known and harmless: the
 * core's `node:${name}` (a dynamic import vite leaves alone, reached only in Node) and
 * onnxruntime-web's own `node:os`, behind its Node check.
 */
function bundleProblems(outDir: string): string[] {
  const problems: string[] = [];
  const js = [...files(outDir)].filter((f) => f.endsWith('.js'));
  expect(js.length).toBeGreaterThan(0);
  for (const file of js) {
    const text = readFileSync(file, 'utf8');
    const name = file.slice(outDir.length + 1);
    if (/\b(?:from|import)\s*\(?\s*["'`]node:|\brequire\s*\(\s*["'`]node:/.test(text)) problems.push(`${name}: imports a node: module`);
    if (text.includes('__vite-browser-external')) problems.push(`${name}: vite stubbed a Node built-in for the browser`);
    const builtins = new Set([...text.matchAll(/["'`]node:([a-z_/]+)/g)].map((m) => m[1]!));
    builtins.delete('os');
    if (builtins.size > 0) problems.push(`${name}: names node:${[...builtins].join(', node:')}`);
    const cli = ['commander', 'playwright', 'cli-progress', 'pngjs', 'recorder.html', 'groundtruth.html', 'train a world model of it', 'npx nextframe record', 'the command line needs packages'];
    for (const s of cli) if (text.includes(s)) problems.push(`${name}: holds "${s}"`);
  }
  return problems;
}

describe('the packed package in a fresh project', { timeout: 300_000 }, () => {
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'nextframe-consumer-'));
    // prepack builds dist/ first.
    const packs = join(project, 'packs');
    mkdirSync(packs);
    ok(run('npm', ['pack', '--pack-destination', packs, '--loglevel=error'], root), 'npm pack');
    const tarball = readdirSync(packs).find((f) => /^nextframe-.*\.tgz$/.test(f));
    expect(tarball, 'npm pack wrote nextframe-<version>.tgz').toBeDefined();

    for (const [rel, text] of Object.entries(consumerFiles({ r3f: hasR3f }))) {
      mkdirSync(dirname(join(project, rel)), { recursive: true });
      writeFileSync(join(project, rel), text);
    }
    cpSync(join(root, 'tests/fixtures/tiny'), join(project, 'models-tiny'), { recursive: true });
    cpSync(join(root, 'tests/fixtures/tiny'), join(project, 'public/models/tiny'), { recursive: true });

    // The peers and the tools a game has; of the CLI's optional peers all but two, so the CLI
    // test sees it name what is missing.
    const peers = ['three', '@dimforge/rapier3d-compat', 'onnxruntime-web', 'typescript', 'vite', '@types/three', 'playwright-core', 'commander'];
    const react = hasR3f ? ['react', 'react-dom', '@react-three/fiber', '@types/react', '@types/react-dom'] : [];
    npmInstall([join(packs, tarball!), ...[...peers, ...react].map(pinned)]);
  }, 600_000);

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('ships the library, the CLI and its run-time files, and no sources or tests', () => {
    const pkg = join(project, 'node_modules/nextframe');
    const shipped = [...files(pkg)].map((f) => f.slice(pkg.length + 1));
    expect(shipped.filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(shipped.filter((f) => f.startsWith('tests/') || f.startsWith('demos/') || f.startsWith('public/') || f.startsWith('models/tests/'))).toEqual([]);
    for (const entry of ['worldmodel/index', 'engine/runtime/index', 'engine/capture/index', 'engine/sandbox/index', 'engine/tools/cli/main']) {
      expect(shipped).toContain(`dist/${entry}.js`);
      expect(shipped).toContain(`dist/${entry}.d.ts`);
    }
    // The pages the recorder and the ground-truth renderer open load the compiled scripts.
    for (const page of ['engine/capture/recorder/recorder.html', 'engine/sandbox/groundtruth/groundtruth.html']) {
      const src = /<script type="module" src="\.\/([^"]+)"/.exec(readFileSync(join(pkg, 'dist', page), 'utf8'))?.[1];
      expect(src, page).toMatch(/\.js$/);
      expect(shipped, page).toContain(join('dist', dirname(page), src!));
    }
    expect(shipped).toContain('dist/engine/tools/cli/setup.mjs');
    expect(shipped).toContain('engine/tools/cli/bin.mjs');
    expect(shipped).toContain('models/train.py');
  });

  it('(a) plain Node imports nextframe/worldmodel and paints a frame of the fixture model', () => {
    const report = JSON.parse(ok(run(process.execPath, ['sample.mjs']), 'node sample.mjs')) as Record<string, unknown>;
    expect(report).toMatchObject({ id: 'tiny', backend: 'wasm', width: 32, height: 32, length: 3 * 32 * 32, engineLoads: true });
    expect(report.min as number).toBeGreaterThanOrEqual(-1);
    expect(report.max as number).toBeLessThanOrEqual(1);
    expect(report.distinct as number).toBeGreaterThan(100); // an image, not a constant
  });

  it('(b) tsc checks a game against the shipped .d.ts, and refuses wrong calls', () => {
    ok(run(bin('tsc'), ['-p', 'tsconfig.json']), 'tsc on the game');
    const wrong = run(bin('tsc'), ['-p', 'tsconfig.wrong.json']);
    expect(wrong.status).not.toBe(0);
    const errors = wrong.stdout.split('\n').filter((line) => line.includes('error TS'));
    // One error on each wrong line: the device, the action's value, the plug-in's options.
    expect(errors.map((line) => /^src\/wrong\.ts\((\d+),/.exec(line)?.[1])).toEqual(['5', '6', '7']);
    expect(errors[0]).toMatch(/"cuda"/);
    expect(errors[2]).toMatch(/WorldModelPluginOptions/);
  });

  it('(c) vite builds a nextframe/engine page with no Node or CLI code, and serves it cross-origin isolated', async () => {
    ok(run(bin('vite'), ['build', '--logLevel', 'warn']), 'vite build');
    const out = join(project, 'dist');
    expect(bundleProblems(out)).toEqual([]);
    expect(bundleText(out), 'the plug-in is in the bundle').toContain('WorldModelPlugin:'); // its errors' prefix
    // onnxruntime-web's WASM is emitted as an asset (the bundle finds it by new URL(…, import.meta.url)).
    const wasm = readdirSync(join(out, 'assets')).find((f) => /^ort-wasm.*\.wasm$/.test(f));
    expect(wasm, 'an ort-wasm-*.wasm asset').toBeDefined();
    expect(existsSync(join(out, 'models/tiny/manifest.json'))).toBe(true);
    expect(existsSync(join(out, 'models/tiny/model.onnx'))).toBe(true);

    // vite preview serves it with the headers ORT's threads need and the .wasm as application/wasm.
    const port = await freePort();
    const preview = spawn(bin('vite'), ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: project, env, stdio: 'ignore' });
    try {
      const base = `http://127.0.0.1:${port}`;
      const page = await fetchWhenUp(base);
      expect(page.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      const asset = await fetch(`${base}/assets/${wasm}`);
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/application\/wasm/);
      await asset.body?.cancel();
      expect((await fetch(`${base}/models/tiny/manifest.json`)).status).toBe(200);
    } finally {
      preview.kill();
    }
  });

  // The r3f binding is written alongside; until engine/runtime/r3f/index.ts exists this waits.
  it.skipIf(!hasR3f)('(d) vite builds a nextframe/r3f page with no Node or CLI code', () => {
    ok(run(bin('vite'), ['build', '--config', 'vite.r3f.config.ts', '--logLevel', 'warn']), 'vite build of the r3f page');
    expect(bundleProblems(join(project, 'dist-r3f'))).toEqual([]);
    expect(bundleText(join(project, 'dist-r3f')), 'the binding is in the bundle').toContain('NextframeWorld:'); // its errors' prefix
  });

  it('the installed CLI names the packages it still needs, then runs from dist/', () => {
    const missing = run(bin('nextframe'), ['--help']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/needs packages this project does not have: cli-progress, pngjs\./);
    expect(missing.stderr).toMatch(/npm install -D "cli-progress@\^[\d.]+" "pngjs@\^[\d.]+"/);

    npmInstall(['-D', pinned('cli-progress'), pinned('pngjs')]);
    const help = ok(run(bin('nextframe'), ['--help']), 'nextframe --help');
    for (const command of ['info', 'sample', 'record', 'train', 'export', 'eval-fidelity', 'eval-policies']) expect(help).toContain(command);
    const info = JSON.parse(ok(run(bin('nextframe'), ['info', 'models-tiny', '--json']), 'nextframe info')) as Record<string, unknown>;
    expect(info).toMatchObject({ id: 'tiny', valid: true, backend: 'wasm' });
    // With the CLI's peers present, the Node entries load too.
    const loads = ok(run(process.execPath, ['--input-type=module', '-e', "const c = await import('nextframe/capture'); const s = await import('nextframe/sandbox'); console.log(typeof c.recordDataset, typeof s.createPolicyEnv);"]), 'import nextframe/capture and nextframe/sandbox');
    expect(loads.trim()).toBe('function function');
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function fetchWhenUp(url: string, timeoutMs = 30_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (error) {
      if (Date.now() > until) throw new Error(`vite preview did not answer at ${url} within ${timeoutMs / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
