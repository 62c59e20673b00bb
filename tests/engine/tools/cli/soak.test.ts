import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `nextframe soak` refusing what it cannot play, before it starts a server or a browser. The run
// itself (a minute of play in Chromium) is tests/e2e/soak.spec.ts.
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [join(root, 'engine/tools/cli/bin.mjs'), 'soak', ...args], { cwd: root, encoding: 'utf8' });

describe('nextframe soak', () => {
  it('has --help with its flags', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const flag of ['--minutes', '--trace', '--model', '--html', '--json']) expect(run.stdout).toContain(flag);
  });

  it('refuses a bad --minutes, a missing trace and a folder without a manifest, saying what to pass', () => {
    const minutes = cli('--minutes', '0');
    expect(minutes.status).toBe(1);
    expect(minutes.stderr).toContain('--minutes must be a positive number, found "0"');
    const trace = cli('--minutes', '1', '--trace', 'no/such/trace.jsonl');
    expect(trace.status).toBe(1);
    expect(trace.stderr).toContain('soak: no trace at no/such/trace.jsonl; pass --trace');
    const model = cli('--minutes', '1', '--model', 'engine');
    expect(model.status).toBe(1);
    expect(model.stderr).toContain('--model engine has no manifest.json');
  });
});
