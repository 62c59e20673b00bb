import type { Command } from 'commander';
import { relative } from 'node:path';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { checkDataset, readEpisode, writeEpisodeSheet } from '../../../capture/index.ts';
import { emit } from '../output.ts';

/** `nextframe check-data`: validate a dataset; broken episodes are refused with the reason. */
export function registerCheckData(program: Command): void {
  program
    .command('check-data')
    .description('check a recorded dataset against the episode contract; reports broken episodes and keeps the rest')
    .argument('<dir>', 'dataset folder')
    .option('--sheet <png>', 'also write a contact sheet (frames over depth) of the first usable episode')
    .option('--json', 'print JSON instead of text')
    .action((dir: string, options: { json?: boolean; sheet?: string }) => {
      const report = checkDataset(dir);
      const first = report.episodes.find((e) => e.ok);
      if (options.sheet && first) writeEpisodeSheet(options.sheet, readEpisode(first.dir));
      emit(Boolean(options.json), report, () => {
        const lines = [`${dir}: ${report.usable} usable episodes (${report.ticks} frames, ${(report.bytes / 1e6).toFixed(1)} MB), ${report.refused} refused`];
        if (report.withDisplay > 0) lines.push(`display frames (display.npy) in ${report.withDisplay} of ${report.usable} usable episodes, at ${report.displaySizes.join(', ')}`);
        for (const e of report.episodes) if (!e.ok) lines.push(`refused ${relative(dir, e.dir)}: ${e.reasons.join('; ')}`);
        if (options.sheet && first) lines.push(`wrote ${options.sheet} (${relative(dir, first.dir)})`);
        return lines.join('\n');
      });
      if (report.usable === 0) {
        throw new NextframeError('bad-dataset', `check-data: no usable episode in ${dir}${report.episodes.length === 0 ? ' (no episode-NNNNNN folders found)' : ''}; record some with \`npx nextframe record --out DIR\`, or fix the reasons the report gives for each refused episode.`);
      }
    });
}
