/**
 * The one error type the runtime throws for bad input or a bad model. Every message says
 * which component complained, what it expected, what it found and what to do, so a user
 * can fix the cause without reading the source.
 */
export class NextframeError extends Error {
  /** A stable machine-readable code, e.g. `manifest-invalid`, `model-not-found`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NextframeError';
    this.code = code;
  }
}

/** Short, readable rendering of any value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (undefined)';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return typeof value;
  }
}
