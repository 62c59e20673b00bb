import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { runSoak } from '../../soak/runSoak.ts';
import { soakHtml } from '../../soak/soakHtml.ts';
import { soakText } from '../../soak/soakText.ts';
import { emit } from '../output.ts';

interface SoakCliOptions {
  minutes: string;
  trace?: string;
  model?: string;
  html?: string;
  json?: boolean;
}

/**
 * `nextframe soak`: the arena demo in headless Chromium, played for N minutes by a real person's
 * input trace, with a line on stderr every minute and a report at the end (text, or JSON with
 * --json; an HTML page of plots with --html).
 */
export function registerSoak(program: Command): void {
  program
    .command('soak')
    .description('play the demo headless for N minutes with a human input trace and report memory, renderer counts, ticks, fps and the first frame over time')
    .option('--minutes <n>', 'minutes of play, from the first model frame on screen', '30')
    .option('--trace <file>', 'input trace (VPT JSON lines), replayed as keys and mouse in a loop (default: engine/capture/recorder/traces/human-play-a.jsonl)')
    .option('--model <dir>', "model folder to play (default: the demo's, the arena's shipped model)")
    .option('--html <file>', 'also write a self-contained HTML page with the samples plotted over time')
    .option('--json', 'print JSON instead of text')
    .action(async (options: SoakCliOptions) => {
      const minutes = Number(options.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0) throw new NextframeError('bad-argument', `--minutes must be a positive number, found "${options.minutes}".`);
      const report = await runSoak({
        minutes,
        ...(options.trace ? { trace: options.trace } : {}),
        ...(options.model ? { model: options.model } : {}),
        // Short runs sample more often, so a one-minute run still has a curve.
        sampleSeconds: Math.min(60, (minutes * 60) / 4),
        onProgress: (line) => process.stderr.write(`${line}\n`),
      });
      if (options.html) writeFileSync(options.html, soakHtml(report));
      emit(Boolean(options.json), report, () => soakText(report));
    });
}
