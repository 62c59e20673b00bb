import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's "Add it to your Three.js game" snippet is the example file, verbatim: the file is
// type-checked by tsc and run by tests/e2e/plugin.spec.ts, so the README cannot drift from code
// that works.
const root = new URL('../../../../', import.meta.url);

describe('README example', () => {
  it('is identical to demos/examples/addToGame.ts', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Add it to your Three.js game'));
    expect(section, 'README has a "## Add it to your Three.js game" section').toBeDefined();
    const snippet = /```ts\n([\s\S]*?)```/.exec(section!)?.[1];
    expect(snippet, 'the section has a ```ts block').toBeDefined();
    const file = readFileSync(new URL('demos/examples/addToGame.ts', root), 'utf8');
    expect(snippet!.trimEnd()).toBe(file.trimEnd());
  });
});
