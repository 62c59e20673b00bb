// `npm test`: installs what the suites need, then runs every suite (typecheck, lint, Node
// unit tests, the packed package in a fresh project, Python tests, browser tests) and prints
// how many tests each ran. Plain Node: it must start before node_modules exists.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDebian, ensureNodeModules, findPython, repoRoot } from '../engine/tools/cli/setup.mjs';

const reports = join(repoRoot, 'test-results', 'reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

ensureNodeModules();
const debianReady = ensureDebian(['chromium', 'python']);

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
const results = [];

function run(label, command, args, env = {}) {
  process.stderr.write(`\n=== ${label} ===\n`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, ...env } });
  return { status: result.status ?? 1, seconds: (Date.now() - started) / 1000 };
}

function check(label, command, args) {
  const { status, seconds } = run(label, command, args);
  results.push({ suite: label, passed: status === 0 ? 1 : 0, failed: status === 0 ? 0 : 1, skipped: 0, seconds, counts: 'check' });
}

function suite(label, command, args, parse, env) {
  const { status, seconds } = run(label, command, args, env);
  let counts;
  try {
    counts = parse();
  } catch (error) {
    counts = { passed: 0, failed: 1, skipped: 0, note: `no report (${error.message})` };
  }
  // A runner that crashed before reporting must not look green.
  if (status !== 0 && counts.failed === 0) counts = { ...counts, failed: 1, note: `exit code ${status}` };
  results.push({ suite: label, ...counts, seconds, counts: 'tests' });
}

check('typecheck (tsc)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
check('lint (eslint)', bin('eslint'), ['.']);

suite('node (vitest)', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'vitest.json')}`], () => {
  const report = JSON.parse(readFileSync(join(reports, 'vitest.json'), 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
});

// The package as users install it: npm pack (building dist/), installed into a fresh project.
suite('package (npm pack + consumer)', bin('vitest'), ['run', '--config', 'tests/package/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(reports, 'package-test.json')}`], () => {
  const report = JSON.parse(readFileSync(join(reports, 'package-test.json'), 'utf8'));
  return { passed: report.numPassedTests, failed: report.numFailedTests, skipped: report.numPendingTests + report.numTodoTests };
});

const python = findPython(['pytest']);
if (python) {
  suite('python (pytest)', python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${join(reports, 'pytest.xml')}`, 'models/tests'], () => {
    const xml = readFileSync(join(reports, 'pytest.xml'), 'utf8');
    const attr = (name) => Number(new RegExp(`<testsuite[^>]*\\s${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
    const total = attr('tests');
    const failed = attr('failures') + attr('errors');
    const skipped = attr('skipped');
    return { passed: total - failed - skipped, failed, skipped };
  });
} else {
  results.push({ suite: 'python (pytest)', passed: 0, failed: 1, skipped: 0, seconds: 0, counts: 'tests', note: 'no Python with torch, onnx, numpy (see message above)' });
}

if (debianReady || ensureDebian(['chromium'])) {
  suite('browser (playwright + chromium)', bin('playwright'), ['test'], () => {
    const report = JSON.parse(readFileSync(join(reports, 'playwright.json'), 'utf8'));
    const s = report.stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected, skipped: s.skipped };
  }, { PLAYWRIGHT_JSON_OUTPUT_NAME: join(reports, 'playwright.json') });
} else {
  results.push({ suite: 'browser (playwright + chromium)', passed: 0, failed: 1, skipped: 0, seconds: 0, counts: 'tests', note: 'no /usr/bin/chromium (see message above)' });
}

process.stderr.write('\n=== summary ===\n');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of results) {
  const what = r.counts === 'check' ? (r.failed ? 'FAILED' : 'ok') : `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`;
  process.stdout.write(`${r.suite.padEnd(34)} ${what.padEnd(36)} ${r.seconds.toFixed(1)} s${r.note ? `  (${r.note})` : ''}\n`);
  if (r.counts === 'tests') {
    passed += r.passed;
    failed += r.failed;
    skipped += r.skipped;
  } else if (r.failed) {
    failed += 1;
  }
}
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
