import { SingleBar } from 'cli-progress';

/** Print a result: JSON on stdout with --json, otherwise the human text. */
export function emit(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

/** A progress bar on stderr, so stdout stays clean for --json; a line every 10 s when stderr is not a terminal. */
export function progressBar(label: string, total: number): SingleBar {
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
    // Piped into a log (nohup, CI): a plain line every 10 s instead of nothing at all.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  });
  bar.start(total, 0);
  return bar;
}

/** Turn any thrown value into a one-paragraph message and a non-zero exit. */
export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`nextframe: ${message}\n`);
  process.exit(1);
}
