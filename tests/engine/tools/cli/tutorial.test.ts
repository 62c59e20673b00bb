import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

/** The command lines of the README's tutorial, as printed (comments and blank lines dropped). */
export function tutorialCommands(readme: string): string[] {
  const section = readme.split('\n## Train a world model of your own game\n')[1];
  if (!section) throw new Error('README.md has no "Train a world model of your own game" section.');
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('The tutorial section has no ```sh block.');
  return block.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/** The same command with small numbers, so it runs in seconds: only counts and durations change (70 ticks: a 64-tick rollout fits). */
const SMALL: Readonly<Record<string, string>> = { '--episodes': '1', '--ticks': '70', '--steps': '4', '--seconds': '120', '--batch-size': '4' };

function shrink(line: string): string[] {
  const words = line.split(/\s+/);
  return words.map((w, i) => (i > 0 && /^\d+$/.test(w) && SMALL[words[i - 1]!] ? SMALL[words[i - 1]!]! : w));
}

describe('the README tutorial "Train a world model of your own game"', () => {
  it('runs word for word (small numbers) from a scene module to a measured model', { timeout: 900_000 }, () => {
    const commands = tutorialCommands(readFileSync(join(root, 'README.md'), 'utf8'));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    const work = mkdtempSync(join(tmpdir(), 'nextframe-tutorial-'));
    // The README's scene module, saved where the tutorial says: my-scene.ts in the working folder.
    copyFileSync(join(root, 'tests/fixtures/scenes/readmeScene.ts'), join(work, 'my-scene.ts'));
    const outputs: Record<string, string> = {};
    for (const line of commands) {
      expect(line.startsWith('npx nextframe '), line).toBe(true);
      const args = shrink(line).slice(2);
      const run = spawnSync(process.execPath, [join(root, 'engine/tools/cli/bin.mjs'), ...args], { cwd: work, encoding: 'utf8', timeout: 300_000 });
      expect(run.status, `${args.join(' ')}\n${run.stderr}`).toBe(0);
      outputs[args[0]!] = run.stdout;
    }
    expect(existsSync(join(work, 'data/my-scene-sheet.png'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(work, 'public/models/my-scene/manifest.json'), 'utf8')) as { id: string; training: { scene?: { id: string; hash?: string } } };
    expect(manifest.id).toBe('my-scene');
    expect(manifest.training.scene).toMatchObject({ id: 'my-scene' });
    expect(manifest.training.scene?.hash).toMatch(/^[0-9a-f]{16}$/);
    const report = JSON.parse(outputs['eval-fidelity']!) as Record<string, number | null>;
    for (const key of ['psnr1', 'psnr1Baseline', 'warpPsnr1', 'psnr16', 'warpPsnr16']) expect(Number.isFinite(report[key]), key).toBe(true);
    const speed = JSON.parse(outputs['bench-speed']!) as { msPerTick: number };
    expect(speed.msPerTick).toBeGreaterThan(0);
    rmSync(work, { recursive: true, force: true });
  });
});
