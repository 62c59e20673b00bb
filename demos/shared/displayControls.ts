// The demo's display frames: which upsampler to load (?upsampler=), how the plug-in shows its frames
// (?display=), the split view (B, ?split=1) and the HUD's display item.
import type { DisplayPolicy, DisplaySource, StatsEvent, WorldModelPlugin } from '../../engine/runtime/index.ts';
import { addNote, removeNote } from './ui.ts';

/**
 * `?upsampler=URL` loads that upsampler, `?upsampler=off` none (bicubic); by default a trained
 * model gets the one beside it (`auto`: /models/upsampler/ for /models/<id>/), while the random
 * test fixtures (under /tests/) get none: nothing is shipped beside them, and asking would log a 404.
 */
export function displaySource(param: string | null, modelUrl: string): DisplaySource {
  if (param === 'off' || param === 'bicubic') return 'bicubic';
  if (param) return { upsampler: param };
  return new URL(modelUrl, location.href).pathname.startsWith('/tests/') ? 'bicubic' : 'auto';
}

/** `?display=learned|bicubic|auto`: how the plug-in shows display frames (default auto: steps down to bicubic when a tick would overrun). */
export function displayPolicy(param: string | null): { display?: DisplayPolicy } {
  return param === 'learned' || param === 'bicubic' || param === 'auto' ? { display: param } : {};
}

/**
 * The HUD's display item: `display learned 256` (the learned upsampler's frames, 256 px on the
 * short side), `display bicubic (stepped down)` (a tick would overrun), `display bicubic` (no
 * upsampler), and `split` while the split view shows both.
 */
export function showDisplay(element: HTMLElement, plugin: WorldModelPlugin, stats: StatsEvent | null): void {
  const size = plugin.loop.runner.displaySize;
  const side = size ? Math.min(size.width, size.height) : Math.min(plugin.model.width, plugin.model.height);
  const live = stats?.display ?? plugin.loop.runner.displayKind;
  const down = stats?.displaySteppedDown ?? plugin.displaySteppedDown;
  const path = live === 'learned' ? `learned ${side}` : down ? 'bicubic (stepped down)' : 'bicubic';
  element.textContent = plugin.displaySplit ? `display split: bicubic | ${path}` : `display ${path}`;
  const ms = stats?.displayMs;
  element.title = !size
    ? `the model's ${plugin.model.width} × ${plugin.model.height} frame stretched bicubically: no display upsampler (?upsampler=URL loads one). B splits the view.`
    : `display frames ${size.width} × ${size.height} from the model's ${plugin.model.width} × ${plugin.model.height}${ms ? `, ${ms.toFixed(1)} ms each` : ''}` +
      (down ? '; stepped down to bicubic: the model and the upsampler together no longer fit in a tick' : '') +
      '. B: split view, bicubic left, the upsampler right.';
}

/** B: the split view (bicubic | display frames) on and off; `refresh` redraws the HUD item. */
export function setUpSplitKey(plugin: WorldModelPlugin, refresh: () => void): void {
  const label = document.getElementById('label-split');
  const sync = (): void => {
    if (label) label.hidden = !plugin.displaySplit;
    refresh();
  };
  let noteTimer = 0;
  addEventListener('keydown', (e) => {
    if (e.repeat || e.ctrlKey || e.metaKey || e.altKey || plugin.isDisposed || e.code !== 'KeyB') return;
    plugin.displaySplit = !plugin.displaySplit;
    sync();
    if (!plugin.model.display && plugin.displaySplit) {
      addNote('note-display', 'This world plays without a display upsampler (?upsampler=URL loads one): both halves are the bicubic stretch.', 'info');
      clearTimeout(noteTimer);
      noteTimer = window.setTimeout(() => removeNote('note-display'), 4000);
    }
  });
  sync();
}
