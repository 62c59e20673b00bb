import type { Command } from 'commander';
import { NextframeError } from '../../../../worldmodel/index.ts';
import { measureVectorThroughput, type ObservationSource } from '../../../sandbox/index.ts';
import { emit } from '../output.ts';

interface BenchPolicyEnvOptions {
  model: string;
  source: string;
  batches: string;
  ticks: string;
  json?: boolean;
}

const SOURCES: readonly ObservationSource[] = ['worldmodel', 'groundtruth'];

/**
 * `nextframe bench-policy-env`: steps per second of the vectorised policy environment in Node
 * for several batch sizes, and the size that gives the most (`measureVectorThroughput`).
 */
export function registerBenchPolicyEnv(program: Command): void {
  program
    .command('bench-policy-env')
    .description('measure environment steps per second of the vectorised policy sandbox in Node for several batch sizes')
    .requiredOption('--model <dir>', 'model folder')
    .option('--source <name>', `observation source: ${SOURCES.join(' or ')}`, 'worldmodel')
    .option('--batches <list>', 'environments stepped together, comma-separated', '1,2,4,8,16')
    .option('--ticks <n>', 'timed ticks per batch size (after 2 untimed ones)', '20')
    .option('--json', 'print JSON instead of text')
    .action(async (options: BenchPolicyEnvOptions) => {
      if (!SOURCES.includes(options.source as ObservationSource)) throw new NextframeError('bad-argument', `--source: expected ${SOURCES.join(' or ')}, found "${options.source}".`);
      const batchSizes = options.batches.split(',').map((b) => Number(b.trim()));
      if (batchSizes.length === 0 || !batchSizes.every((b) => Number.isInteger(b) && b >= 1)) throw new NextframeError('bad-argument', `--batches: expected positive integers separated by commas, found "${options.batches}".`);
      const ticks = Number(options.ticks);
      if (!Number.isInteger(ticks) || ticks < 1) throw new NextframeError('bad-argument', `--ticks: expected an integer ≥ 1, found "${options.ticks}".`);
      const started = performance.now();
      const report = await measureVectorThroughput({
        model: options.model,
        observation: options.source as ObservationSource,
        batchSizes,
        ticks,
        onProgress: (size, stepsPerSecond) => process.stderr.write(`batch ${size}: ${stepsPerSecond.toFixed(1)} steps/s\n`),
      });
      const result = { ...report, seconds: (performance.now() - started) / 1000 };
      emit(Boolean(options.json), result, () =>
        [
          `${report.model}, ${report.source} source: environment steps per second in Node (policy time excluded)`,
          '  batch  steps/s (median tick)  ms per tick (median)',
          ...report.results.map((r) => `  ${String(r.batchSize).padStart(5)}  ${r.stepsPerSecondMedian.toFixed(1).padStart(21)}  ${r.msPerTickMedian.toFixed(1).padStart(20)}`),
          `  best: batch ${report.best.batchSize}, ${report.best.stepsPerSecondMedian.toFixed(1)} steps/s`,
        ].join('\n'),
      );
    });
}
