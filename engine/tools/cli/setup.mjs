// Installs what `npm start` and `npm test` need on a fresh clone. Plain Node with no
// dependencies: it runs before node_modules exists. The build copies it into dist/ for the
// installed CLI, so paths are found from the package root, not from this file's folder.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package root: the repository on a clone, the installed package (node_modules/nextframe)
 * elsewhere. The nearest folder above this file with a package.json, so the copy in
 * dist/engine/tools/cli/ finds the same root as engine/tools/cli/.
 */
export const repoRoot = packageRoot(dirname(fileURLToPath(import.meta.url)));

function packageRoot(from) {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return join(from, '..', '..', '..');
  }
}

/** Debian packages the test suite needs, by what they provide. */
export const debianPackages = {
  chromium: { check: () => existsSync('/usr/bin/chromium'), packages: ['chromium'] },
  python: { check: () => findPython(['pytest']) !== null, packages: ['python3-torch', 'python3-onnx', 'python3-numpy', 'python3-pytest'] },
};

function log(message) {
  process.stderr.write(`[nextframe] ${message}\n`);
}

/** `npm ci` when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const lock = join(repoRoot, 'package-lock.json');
  const stamp = join(repoRoot, 'node_modules', '.package-lock.json');
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= statSync(lock).mtimeMs) return;
  log('installing npm packages from package-lock.json (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    log('npm ci failed. Check your network access to the npm registry, then run `npm ci` by hand.');
    process.exit(1);
  }
}

/**
 * Debian's Python with torch, onnx and numpy. The `python3` first on PATH may be another
 * interpreter without Debian's packages, so candidates are tried explicitly;
 * NEXTFRAME_PYTHON overrides. `extraModules` must import too (e.g. pytest for the tests).
 */
export function findPython(extraModules = []) {
  const candidates = [process.env.NEXTFRAME_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean);
  const imports = ['torch', 'onnx', 'numpy', ...extraModules].join(', ');
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ['-c', `import ${imports}`], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return null;
}

/** Install missing Debian packages with apt-get when we are root; otherwise say what to run. */
export function ensureDebian(which) {
  const missing = which.filter((name) => !debianPackages[name].check());
  if (missing.length === 0) return true;
  const packages = missing.flatMap((name) => debianPackages[name].packages);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!isRoot || !hasApt) {
    log(`missing: ${missing.join(', ')}. Install them with:\n    sudo apt-get install -y ${packages.join(' ')}\n  (or set NEXTFRAME_PYTHON to a Python that has torch, onnx, numpy and pytest).`);
    return false;
  }
  log(`installing Debian packages: ${packages.join(' ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-q'], { stdio: 'inherit', env });
  const install = spawnSync('apt-get', ['install', '-y', '-q', ...packages], { stdio: 'inherit', env });
  if (update.status !== 0 || install.status !== 0) {
    log(`apt-get could not install ${packages.join(' ')}; install them by hand and retry.`);
    return false;
  }
  return which.every((name) => debianPackages[name].check());
}

/** The version of a package from package.json, for messages. */
export function packageVersion() {
  return JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).version;
}
