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
