import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { NextframeError } from '../../../worldmodel/index.ts';

/**
 * Flags that give headless Chromium WebGL2 (ANGLE on SwiftShader) and WebGPU without a GPU; the
 * same list the browser tests use (playwright.config.ts).
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Debian's Chromium unless CHROMIUM_PATH says otherwise; browsers are never downloaded. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new NextframeError('browser-failed', `launchChromium: no Chromium at ${executablePath}. Install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  return chromium.launch({ executablePath, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * Open `url` in a new page and wait until the page marks `body[data-ready="true"]` (the recorder
 * and ground-truth pages do once three.js and the scene are up). If it does not within
 * `timeoutMs`, throws "`what` did not start", with the page's own errors when it had any.
 */
export async function openReadyPage(browser: Browser, url: string, what: string, timeoutMs: number): Promise<Page> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: timeoutMs }).catch((error: unknown) => {
    throw new NextframeError('browser-failed', `${what} did not start${errors.length ? `: ${errors.join('; ')}` : ''} (${(error as Error).message}).`);
  });
  return page;
}

/** What `callPageApi` brings back from the page: the method's value, or what it threw. */
type PageOutcome<T> = { value: T; error?: undefined } | { error: { message: string; code: string | null } };

/**
 * Call `window[api][method](...args)` in the page (the recorder's `nextframeRecorder`, the
 * ground-truth page's `nextframeGroundTruth`). The call goes as a string expression, so no
 * transpiler helper can leak into the page (a function would be serialised with whatever the
 * loader added); the arguments go as JSON. What the page throws comes back as its message and,
 * for a NextframeError, its code, so a bad scene module or a scene with no spawn spot fails here
 * with the code it failed with in the page; messages start with `what` (the caller's name).
 */
export async function callPageApi<T = void>(page: Page, what: string, api: string, method: string, ...args: unknown[]): Promise<T> {
  const call = `window.${api}.${method}(${args.map((a) => JSON.stringify(a)).join(', ')})`;
  let outcome: PageOutcome<T>;
  try {
    outcome = (await page.evaluate(
      `(async () => { try { return { value: await ${call} }; } catch (e) { return { error: { message: e instanceof Error ? e.message : String(e), code: e?.name === 'NextframeError' ? e.code : null } }; } })()`,
    )) as PageOutcome<T>;
  } catch (error) {
    // Playwright's own failure (the page crashed or closed) without its wrapping and the page's stack.
    const message = (error as Error).message.replace(/^page\.evaluate: (\w*Error: )?/, '').split(/\n\s+at /)[0]!;
    throw new NextframeError('browser-failed', `${what}: ${message}`, { cause: error });
  }
  if (outcome.error) throw new NextframeError(outcome.error.code ?? 'browser-failed', `${what}: ${outcome.error.message}`);
  return outcome.value;
}
