// The demo pages' DOM: loading screen, failure screens, notes, HUD and the help overlay.
import { NextframeError } from '../../worldmodel/index.ts';

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`demo: the page has no #${id} element.`);
  return element as T;
};

export const byId = $;

/** Download progress (bytes) on the loading screen. */
export function showProgress(loaded: number, total: number | null): void {
  const bar = $<HTMLProgressElement>('loading-bar');
  bar.value = total ? loaded / total : 0;
  $('loading-text').textContent = `Downloading the world model… ${mb(loaded)}${total ? ` of ${mb(total)}` : ''}`;
}

export function showLoadingText(text: string, detail = ''): void {
  $('loading-text').textContent = text;
  $('loading-detail').textContent = detail;
}

export function hideLoading(): void {
  $('loading').hidden = true;
}

/** A line under the HUD; `info` notes are blue, warnings amber. */
export function addNote(id: string, text: string, kind: 'warning' | 'info' = 'warning'): void {
  let note = document.getElementById(id);
  if (!note) {
    note = document.createElement('div');
    note.id = id;
    $('notes').append(note);
  }
  note.className = `note ${kind}`;
  note.textContent = text;
}

export function removeNote(id: string): void {
  document.getElementById(id)?.remove();
}

interface FailureText {
  title: string;
  todo: string;
}

const FAILURES: Record<string, FailureText> = {
  'model-not-found': {
    title: 'The world model is missing',
    todo: 'The model files are missing. Start the demo with `npm start` from the repository (it serves /models and /tests/fixtures), or pass ?model= with the URL of a folder holding manifest.json and model.onnx.',
  },
  'manifest-invalid': { title: 'The model manifest is not valid', todo: 'Re-export the model with `npx nextframe export` (it writes a manifest the runtime accepts), then reload.' },
  'manifest-mismatch': {
    title: 'The model does not match its manifest',
    todo: 'manifest.json and model.onnx were not exported together. Export them together with `npx nextframe export` (or copy both from the same training run), then reload.',
  },
  'not-onnx': { title: 'The model file is not ONNX', todo: 'The server answered with something else (an error page?). Check the ?model= URL, or re-export the model with `npx nextframe export`.' },
  'download-incomplete': {
    title: 'The model download was cut off',
    todo: 'The connection dropped while the model was downloading, and again on each retry. Check the connection, then reload the page: the download starts over.',
  },
  'model-corrupt': {
    title: 'The model file is damaged',
    todo: 'model.onnx does not match the hash its manifest.json records, even after downloading it again. Reload once; if it persists, manifest.json and model.onnx on the server were not exported together: export them together and copy both.',
  },
  'model-load-failed': { title: 'onnxruntime could not load the model', todo: 'Try ?device=wasm. If that fails too, re-export the model with `npx nextframe export`.' },
  'model-step-failed': {
    title: 'The world model stopped',
    todo: 'The model threw while painting a frame. Reload to start again; if it ran on WebGPU, try ?device=wasm; if it keeps failing, the model file is broken: re-export it with `npx nextframe export`.',
  },
  'no-webgl': { title: 'No WebGL', todo: 'This browser cannot draw 3D (WebGL 2 is off or unsupported). Use a recent Chrome, Edge, Firefox or Safari with hardware acceleration on.' },
  'no-wasm': { title: 'No WebAssembly', todo: 'The world model needs WebAssembly or WebGPU; this browser has neither. Use a recent Chrome, Edge, Firefox or Safari.' },
};

/** Replace everything with a screen that says what happened and what to do. Returns the code shown. */
export function showFailure(error: unknown, code = error instanceof NextframeError ? error.code : 'error'): string {
  const message = error instanceof Error ? error.message : String(error);
  const text = FAILURES[code] ?? { title: 'The world model could not start', todo: 'Reload the page; if it happens again, open the console and report the message above.' };
  $('loading').hidden = true;
  $('failure').hidden = false;
  $('failure-title').textContent = text.title;
  $('failure-what').textContent = message;
  $('failure-todo').textContent = text.todo;
  return code;
}

/**
 * A screen that explains a degraded start and offers to go on anyway; resolves when the player
 * chooses to.
 */
export function askToContinue(title: string, what: string, todo: string, action: string): Promise<void> {
  $('loading').hidden = true;
  $('failure').hidden = false;
  $('failure-title').textContent = title;
  $('failure-what').textContent = what;
  $('failure-todo').textContent = todo;
  const button = $<HTMLButtonElement>('failure-action');
  button.textContent = action;
  button.hidden = false;
  return new Promise((resolve) => {
    button.addEventListener(
      'click',
      () => {
        button.hidden = true;
        $('failure').hidden = true;
        $('loading').hidden = false;
        resolve();
      },
      { once: true },
    );
  });
}

/** Help overlay: H or ? toggles it, as does the round ? button; the first move of any other kind closes it. */
export function setUpHelp(startOpen: boolean): void {
  const help = $('help');
  const button = $('help-button');
  help.hidden = !startOpen;
  button.hidden = false;
  let touched = false;
  const toggle = (): void => {
    touched = true;
    help.hidden = !help.hidden;
  };
  addEventListener('keydown', (e) => {
    if (e.code === 'KeyH' || e.key === '?') toggle();
    else if (!touched) help.hidden = touched = true;
  });
  addEventListener('pointerdown', (e) => {
    if (e.target !== button && !touched) help.hidden = touched = true;
  });
  button.addEventListener('click', toggle);
}

export function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(2)} MB`;
}
