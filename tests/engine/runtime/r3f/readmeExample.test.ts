import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The README's react-three-fiber snippet is demos/r3f/Example.tsx, verbatim: the file is
// type-checked by tsc and run by tests/e2e/r3f.spec.ts (the demo page's ?example), so the README
// cannot drift from code that works.
const root = new URL('../../../../', import.meta.url);

describe('README react-three-fiber example', () => {
  it('is identical to demos/r3f/Example.tsx', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const section = readme
      .split(/^## /m)
      .find((s) => s.startsWith('Add it to your Three.js game'))
      ?.split(/^### /m)
      .find((s) => s.startsWith('react-three-fiber'));
    expect(section, 'README has a "### react-three-fiber" subsection under "## Add it to your Three.js game"').toBeDefined();
    const snippet = /```tsx\n([\s\S]*?)```/.exec(section!)?.[1];
    expect(snippet, 'the subsection has a ```tsx block').toBeDefined();
    const file = readFileSync(new URL('demos/r3f/Example.tsx', root), 'utf8');
    expect(snippet!.trimEnd()).toBe(file.trimEnd());
  });
});
