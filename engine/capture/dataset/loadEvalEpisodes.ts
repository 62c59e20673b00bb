import { existsSync } from 'node:fs';
import { fromFloat16Array } from '../../../worldmodel/dataset/index.ts';
import { NextframeError, type EvalEpisode } from '../../../worldmodel/index.ts';
import { checkDataset, readEpisode } from './episodeFiles.ts';

/**
 * The usable episodes under `root` as evaluations take them (depth decoded to metres, display
 * frames when recorded); broken ones are reported on stderr and skipped. Throws, saying how to
 * get some, when there are none.
 */
export function loadEvalEpisodes(root: string, howToRecord: string): EvalEpisode[] {
  if (!existsSync(root)) throw new NextframeError('bad-dataset', `no held-out episodes at ${root}. ${howToRecord}`);
  const report = checkDataset(root);
  for (const e of report.episodes.filter((x) => !x.ok)) process.stderr.write(`skipping ${e.dir}: ${e.reasons.join('; ')}\n`);
  if (report.usable === 0) throw new NextframeError('bad-dataset', `no usable episodes in ${root} (${report.refused} refused; run \`npx nextframe check-data ${root}\`).`);
  return report.episodes
    .filter((e) => e.ok)
    .map((e) => {
      const episode = readEpisode(e.dir);
      return {
        name: e.dir,
        frames: episode.frames,
        actions: episode.actions,
        ticks: episode.meta.ticks,
        depth: fromFloat16Array(episode.depth), // metres, for models with memory or depth streams
        poses: episode.poses,
        // Display frames (display.npy) when recorded with --display, for eval-fidelity --display.
        ...(episode.display && episode.meta.display ? { display: episode.display, displaySize: episode.meta.display } : {}),
      };
    });
}
