import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { npyHeader, type NpyData, type NpyDtype } from '../../../worldmodel/dataset/index.ts';
import { NextframeError } from '../../../worldmodel/index.ts';

const CHUNK = 8 << 20; // bytes copied at a time when the file is finished

/**
 * An .npy file written a row at a time, for arrays too large to hold: rows of `rowShape` go to
 * `<path>.body` as they come, and `close()` writes `<path>` (the header for however many rows
 * came, then the rows) and removes the body. Little-endian machines only, as the dataset is.
 */
export class NpyFileWriter {
  readonly path: string;
  /** Rows written so far. */
  rows = 0;
  private readonly rowShape: readonly number[];
  private readonly rowSize: number;
  private readonly dtype: NpyDtype;
  private body: number | null;

  constructor(path: string, dtype: NpyDtype, rowShape: readonly number[]) {
    this.path = path;
    this.dtype = dtype;
    this.rowShape = [...rowShape];
    this.rowSize = rowShape.reduce((n, d) => n * d, 1);
    this.body = openSync(`${path}.body`, 'w');
  }

  /** Append one row: `rowShape` values of the writer's dtype (raw half bits for float16). */
  append(row: NpyData): void {
    if (this.body === null) throw new NextframeError('disposed', `NpyFileWriter: ${this.path} is closed; open a new writer.`);
    if (row.length !== this.rowSize) throw new NextframeError('bad-input', `NpyFileWriter: a row of ${this.path} holds ${this.rowSize} values (${this.rowShape.join(' × ')}), found ${row.length}.`);
    writeSync(this.body, new Uint8Array(row.buffer, row.byteOffset, row.byteLength));
    this.rows++;
  }

  /** Write the file: header for `rows` rows, then the rows. */
  close(): void {
    if (this.body === null) return;
    closeSync(this.body);
    this.body = null;
    const out = openSync(this.path, 'w');
    const body = openSync(`${this.path}.body`, 'r');
    try {
      writeSync(out, npyHeader([this.rows, ...this.rowShape], this.dtype));
      const chunk = new Uint8Array(CHUNK);
      for (let read = readSync(body, chunk); read > 0; read = readSync(body, chunk)) writeSync(out, chunk, 0, read);
    } finally {
      closeSync(body);
      closeSync(out);
    }
    rmSync(`${this.path}.body`);
  }
}
