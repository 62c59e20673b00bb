import { createElement as h, type ReactNode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { Overlay, Proxy, useNextframe, useNextframeStats } from '../../../../engine/runtime/r3f/index.ts';

// Outside <NextframeWorld> the hooks and components say where they belong, instead of failing
// on a null plug-in later. React's server renderer runs a component once, with no DOM or WebGL.

function Plain(): ReactNode {
  useNextframe();
  return null;
}

function WithStats(): ReactNode {
  useNextframeStats();
  return null;
}

describe('nextframe/r3f outside <NextframeWorld>', () => {
  it.each([
    ['useNextframe', Plain],
    ['useNextframeStats', WithStats],
    ['<Proxy>', () => h(Proxy)],
    ['<Overlay>', () => h(Overlay, { kind: 'ball' })],
  ])('%s throws a clear error', (_, component) => {
    expect(() => renderToString(h(component as () => ReactNode))).toThrow(/no <NextframeWorld> above this component.*inside <NextframeWorld>/);
  });
});
