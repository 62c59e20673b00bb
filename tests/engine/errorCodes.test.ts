import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// engine/ throws only NextframeError, each with a code the README's table documents, so a caller
// can branch on `error.code` across the core and the engine alike.
const root = new URL('../..', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const engineFiles = sources('engine');
const coreFiles = sources('worldmodel');

/** Every literal code passed to `new NextframeError(code, …)` in `files`, with where it is thrown. */
function codesIn(files: readonly string[]): Map<string, string[]> {
  const codes = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/new NextframeError\(\s*(['"`])([^'"`]+)\1/g)) {
      const line = text.slice(0, match.index).split('\n').length;
      codes.set(match[2]!, [...(codes.get(match[2]!) ?? []), `${file}:${line}`]);
    }
  }
  return codes;
}

/** The codes in the README's table under "## Use it from TypeScript". */
function documentedCodes(): Set<string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Use it from TypeScript\n');
  expect(start, 'README.md has a "## Use it from TypeScript" section').toBeGreaterThanOrEqual(0);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return new Set([...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!));
}

describe('engine errors carry NextframeError codes', () => {
  it('throws no plain Error in engine/', () => {
    const left: string[] = [];
    for (const file of engineFiles) {
      readFileSync(join(root, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.includes('new Error(')) left.push(`${file}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(left, `throw new NextframeError('<code>', message) instead of new Error(message):\n${left.join('\n')}`).toEqual([]);
  });

  it('uses kebab-case codes', () => {
    const codes = codesIn([...engineFiles, ...coreFiles]);
    const bad = [...codes].filter(([code]) => !/^[a-z]+(-[a-z]+)*$/.test(code)).map(([code, at]) => `${code} (${at.join(', ')})`);
    expect(bad, `codes must be kebab-case:\n${bad.join('\n')}`).toEqual([]);
  });

  it('documents every code of engine/ and worldmodel/ in the README, and no other', () => {
    const used = codesIn([...engineFiles, ...coreFiles]);
    const documented = documentedCodes();
    const missing = [...used].filter(([code]) => !documented.has(code)).map(([code, at]) => `${code} (thrown at ${at.join(', ')})`);
    expect(missing, `add a row to the table in README.md, "## Use it from TypeScript", for:\n${missing.join('\n')}`).toEqual([]);
    const stale = [...documented].filter((code) => !used.has(code));
    expect(stale, `README.md documents codes nothing throws any more; remove their rows:\n${stale.join('\n')}`).toEqual([]);
  });
});
