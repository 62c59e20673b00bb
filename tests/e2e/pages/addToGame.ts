// Runs the README's example (demos/examples/addToGame.ts) against a model and reports what it
// painted, so the browser test proves the documented code works.
import { addToGame } from '../../../demos/examples/addToGame.ts';

interface ExampleResult {
  frames: number;
  backend: string;
  /** Distinct RGBA values in the last world frame (a painted picture has many). */
  colours: number;
  /** The frames changed from one to the next. */
  changed: boolean;
  /** The ball overlay fell under physics (its mesh followed its body). */
  ballFell: boolean;
  /** The ground-truth start view had the red pillar in it (the plugin rendered the real scene first). */
  startHadRed: boolean;
  stopped: boolean;
}

async function runExample(modelUrl: string, frames: number): Promise<ExampleResult> {
  const canvas = document.querySelector('canvas')!;
  const { plugin, stop } = await addToGame(canvas, modelUrl);
  const ball = plugin.overlayBodies[0]!.object;
  const startY = ball.position.y;
  let startHadRed = false;
  const snapshots: string[] = [];
  await new Promise<void>((resolve) => {
    plugin.on('frame', (event) => {
      if (event.tick === 0) {
        const px = plugin.shownPixels;
        for (let p = 0; p < px.length; p += 4) if (px[p]! > 100 && px[p]! > 3 * px[p + 1]! && px[p]! > 3 * px[p + 2]!) startHadRed = true;
      }
      snapshots.push(Array.from(plugin.shownPixels).join(','));
      if (event.tick >= frames) resolve();
    });
  });
  const last = plugin.shownPixels;
  const colours = new Set<number>();
  for (let p = 0; p < last.length; p += 4) colours.add((last[p]! << 16) | (last[p + 1]! << 8) | last[p + 2]!);
  const result = {
    frames: plugin.shown.tick,
    backend: plugin.model.backend,
    colours: colours.size,
    changed: new Set(snapshots.slice(1)).size > 1,
    ballFell: ball.position.y < startY - 0.5,
    startHadRed,
    stopped: false,
  };
  await stop();
  result.stopped = plugin.isDisposed;
  return result;
}

(window as unknown as { runExample: typeof runExample }).runExample = runExample;
document.body.dataset.ready = 'true';
