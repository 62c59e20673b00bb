import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as runtime from '../../../engine/runtime/index.ts';

// nextframe/engine's public classes each have a unit test at the path mirroring their source:
// engine/runtime/<sub>/<Name>.ts → tests/engine/runtime/<sub>/<Name>.test.ts, and a class the
// entry re-exports from worldmodel/<path>.ts → tests/worldmodel/<path>.test.ts.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = resolve(root, 'engine/runtime/index.ts');

/**
 * Exported classes allowed to lack their test for now. Every entry is temporary and names its
 * reason; an entry whose test exists (or whose class is gone) fails the test until removed.
 */
const EXPECTED_MISSING: ReadonlyMap<string, string> = new Map<string, string>();

/** Where each value an entry exports is defined: exported name → the file that declares it (barrels followed). */
function exportSources(entry: string): Map<string, { file: string; local: string }> {
  const found = new Map<string, { file: string; local: string }>();
  const text = readFileSync(entry, 'utf8');
  if (/^export\s+\*/m.test(text)) throw new Error(`${relative(root, entry)}: "export *" hides what is exported; list the names.`);
  for (const [, typeOnly, names, from] of text.matchAll(/^export\s+(type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/gm)) {
    if (typeOnly) continue;
    const file = resolve(dirname(entry), from!);
    for (const raw of names!.split(',')) {
      const spec = raw.trim();
      if (spec === '' || spec.startsWith('type ')) continue;
      const [local, exported = local] = spec.split(/\s+as\s+/) as [string, string?];
      // A barrel (another area's index) is followed to the file that declares the name.
      const source = /(^|\/)index\.ts$/.test(file) ? exportSources(file).get(local) : { file, local };
      if (!source) throw new Error(`${relative(root, file)} does not export "${local}" (re-exported by ${relative(root, entry)}).`);
      found.set(exported, source);
    }
  }
  return found;
}

/** A class: `class` syntax (how this repo writes them), or an old-style constructor with prototype methods. */
function isClass(value: unknown): boolean {
  if (typeof value !== 'function') return false;
  if (/^class\b/.test(Function.prototype.toString.call(value))) return true;
  const proto = (value as { prototype?: object }).prototype;
  return proto !== undefined && Object.getOwnPropertyNames(proto).some((name) => name !== 'constructor');
}

/** The unit test at the mirrored path, if one exists. */
function mirroredTest(file: string): string | null {
  const base = relative(root, file).replace(/\.tsx?$/, '');
  return ['.test.ts', '.test.tsx'].map((ext) => `tests/${base}${ext}`).find((path) => existsSync(resolve(root, path))) ?? null;
}

describe('nextframe/engine (engine/runtime/index.ts)', () => {
  const sources = exportSources(ENTRY);
  const exported = Object.keys(runtime).sort();
  const classes = exported.filter((name) => isClass((runtime as Record<string, unknown>)[name]));

  it('every value it exports is listed by name in its source, so each maps to the file that declares it', () => {
    expect(exported).toEqual([...sources.keys()].sort());
  });

  it('finds the classes both from the module and from the declarations in their source files', () => {
    // Two independent readings: the loaded values, and `export class Name` in each mapped file.
    const declared = [...sources].filter(([, { file, local }]) => new RegExp(`^export\\s+(abstract\\s+)?class\\s+${local}\\b`, 'm').test(readFileSync(file, 'utf8'))).map(([name]) => name);
    expect(classes).toEqual(declared.sort());
    expect(classes.length).toBeGreaterThan(EXPECTED_MISSING.size);
  });

  it('has a unit test at the mirrored path for every exported class', () => {
    const rows = classes.map((name) => {
      const { file } = sources.get(name)!;
      const test = mirroredTest(file);
      const want = `tests/${relative(root, file).replace(/\.tsx?$/, '.test.ts')}`;
      return { name, source: relative(root, file), test, want };
    });
    const missing = rows.filter((r) => r.test === null && !EXPECTED_MISSING.has(r.name));
    const allowed = rows.filter((r) => r.test === null && EXPECTED_MISSING.has(r.name));
    console.log(
      [
        `nextframe/engine exports ${rows.length} classes:`,
        ...rows.map((r) => `  ${r.name.padEnd(22)} ${r.source.padEnd(46)} ${r.test ?? `MISSING ${r.want}${EXPECTED_MISSING.has(r.name) ? ` (allowed for now: ${EXPECTED_MISSING.get(r.name)})` : ''}`}`),
        missing.length > 0 ? `classes without a test: ${missing.map((r) => r.name).join(', ')}` : 'every class not on the allow-list has its test',
        ...(allowed.length > 0 ? [`allowed for now without a test: ${allowed.map((r) => r.name).join(', ')}`] : []),
      ].join('\n'),
    );
    expect(missing.map((r) => `${r.name}: write ${r.want}`), 'exported classes without a unit test at the mirrored path').toEqual([]);
  });

  it('keeps the allow-list honest: each entry is an exported class that still lacks its test', () => {
    const stale = [...EXPECTED_MISSING.keys()].filter((name) => !classes.includes(name) || mirroredTest(sources.get(name)!.file) !== null);
    expect(stale, 'remove these from EXPECTED_MISSING').toEqual([]);
  });
});
