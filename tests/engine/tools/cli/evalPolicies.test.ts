import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProcess } from './cliProcess.ts';

const dir = mkdtempSync(join(tmpdir(), 'nextframe-eval-policies-'));

describe('nextframe eval-policies', () => {
  it('refuses unknown tasks, unknown policies and bad policy files before starting anything', async () => {
    const task = await cliProcess('eval-policies', '--model', 'public/models/arena', '--task', 'fly', '--json');
    expect(task.status).toBe(1);
    expect(task.stderr).toContain('unknown task "fly"; known: reach, push, waypoints, or all.');
    const policy = await cliProcess('eval-policies', '--model', 'public/models/arena', '--policies', 'random,genius', '--json');
    expect(policy.status).toBe(1);
    expect(policy.stderr).toMatch(/unknown policy "genius"; built in: random, colour-servo, visual-nav, bc-cnn/);
    const file = await cliProcess('eval-policies', '--model', 'public/models/arena', '--policy', join(dir, 'missing.mjs'), '--json');
    expect(file.status).toBe(1);
    expect(file.stderr).toMatch(/loadPolicyModule: no file at .*missing\.mjs/);
    const episodes = await cliProcess('eval-policies', '--model', 'public/models/arena', '--episodes', '0', '--json');
    expect(episodes.stderr).toContain('--episodes must be a positive integer, found "0"');
  });

  it('runs every policy and a user module in both sources, prints the JSON keys and writes the HTML report', async () => {
    const module = join(dir, 'straight.mjs');
    writeFileSync(module, 'export default function createPolicy() { return { name: "straight", act: () => ({ forward: 1 }) }; }\n');
    const out = join(dir, 'report');
    const run = await cliProcess('eval-policies', '--model', 'public/models/arena', '--task', 'reach', '--episodes', '2', '--max-ticks', '3', '--policy', module, '--out', out, '--json');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    for (const key of ['pearson', 'spearman', 'policies', 'stepsPerSecond']) expect(result, key).toHaveProperty(key);
    expect(result.policies.map((p: { name: string }) => p.name)).toEqual(['random', 'colour-servo', 'visual-nav', 'bc-cnn', 'straight']);
    for (const p of result.policies) {
      for (const source of ['worldmodel', 'groundtruth']) {
        expect(p.tasks.reach[source], `${p.name} ${source}`).toMatchObject({ episodes: 2 });
        expect(p.tasks.reach[source].meanTicks).toBeLessThanOrEqual(3);
      }
    }
    expect(result.pairs).toHaveLength(5);
    expect(result.stepsPerSecond.worldmodel).toBeGreaterThan(0);
    expect(result.stepsPerSecond.groundtruth).toBeGreaterThan(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html.match(/src="data:image\/png;base64,/g)).toHaveLength(10); // 5 policies × 2 sources
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  }, 300_000);
});
