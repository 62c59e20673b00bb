// Ground truth and the world model side by side on the same input, with live PSNR: how close
// the model's picture is to the real render at the same pose.
import { psnr } from '../../worldmodel/index.ts';
import { bootDemo } from '../shared/bootDemo.ts';
import { byId } from '../shared/ui.ts';

const scores: number[] = [];
const status = { psnr: Number.NaN, meanPsnr: Number.NaN, compared: 0 };

void bootDemo({
  view: 'split',
  captureTruth: true,
  onFrame: (event) => {
    if (!event.truth) return;
    if (event.tick === 0) {
      scores.length = 0; // a (re)start: the first frame is the ground truth itself
      return;
    }
    const db = Math.min(psnr(event.frame, event.truth), 99); // identical frames give +∞
    scores.push(db);
    if (scores.length > 200) scores.shift();
    status.psnr = db;
    status.meanPsnr = scores.reduce((a, b) => a + b, 0) / scores.length;
    status.compared++;
    byId('psnr').textContent = `PSNR ${db.toFixed(1)} dB (mean ${status.meanPsnr.toFixed(1)})`;
  },
}).then(() => {
  Object.assign((window as unknown as { __nextframe: object }).__nextframe, { compare: status });
});
