import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayPolicy, displaySource, showDisplay } from '../../../demos/shared/displayControls.ts';
import type { StatsEvent, WorldModelPlugin } from '../../../engine/runtime/index.ts';

// The demo's display choices from its URL, and the HUD's display item, with a stand-in plug-in.

beforeEach(() => {
  (globalThis as { location?: unknown }).location = { href: 'http://127.0.0.1:5173/demos/arena/' };
});
afterEach(() => {
  delete (globalThis as { location?: unknown }).location;
});

function fakePlugin(display: { scale: number } | null, split = false): WorldModelPlugin {
  const size = display ? { width: 64 * display.scale, height: 64 * display.scale } : null;
  return {
    model: { width: 64, height: 64, display },
    displaySplit: split,
    displaySteppedDown: false,
    loop: { runner: { displaySize: size, displayKind: display ? 'learned' : 'bicubic' } },
  } as unknown as WorldModelPlugin;
}

const stats = (display: 'learned' | 'bicubic', displaySteppedDown: boolean): StatsEvent => ({ display, displaySteppedDown, displayMs: 4.2 }) as StatsEvent;

describe('demo display controls', () => {
  it('loads the upsampler beside a trained model, none for the test fixtures, or what ?upsampler= says', () => {
    expect(displaySource(null, '/models/arena/')).toBe('auto');
    expect(displaySource(null, '/tests/fixtures/tiny-streams/')).toBe('bicubic');
    expect(displaySource('/tests/fixtures/tiny-streams-upsampler/', '/tests/fixtures/tiny-streams/')).toEqual({ upsampler: '/tests/fixtures/tiny-streams-upsampler/' });
    expect(displaySource('off', '/models/arena/')).toBe('bicubic');
    expect(displayPolicy('learned')).toEqual({ display: 'learned' });
    expect(displayPolicy('sharp')).toEqual({});
    expect(displayPolicy(null)).toEqual({});
  });

  it('says which display path is live in the HUD', () => {
    const element = { textContent: '', title: '' } as HTMLElement;
    showDisplay(element, fakePlugin({ scale: 4 }), stats('learned', false));
    expect(element.textContent).toBe('display learned 256');
    expect(element.title).toMatch(/^display frames 256 × 256 from the model's 64 × 64, 4.2 ms each\. B: split view/);
    showDisplay(element, fakePlugin({ scale: 4 }), stats('bicubic', true));
    expect(element.textContent).toBe('display bicubic (stepped down)');
    showDisplay(element, fakePlugin({ scale: 4 }, true), stats('learned', false));
    expect(element.textContent).toBe('display split: bicubic | learned 256');
    showDisplay(element, fakePlugin(null), stats('bicubic', false));
    expect(element.textContent).toBe('display bicubic');
    expect(element.title).toMatch(/no display upsampler/);
  });
});
