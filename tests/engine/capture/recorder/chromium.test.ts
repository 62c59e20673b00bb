import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callPageApi, launchChromium } from '../../../../engine/capture/recorder/chromium.ts';
import { errorOf } from '../../../support/errorOf.ts';

describe('callPageApi (real headless Chromium)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
    // A page API like the recorder's: one method answers, one throws a coded error, one a plain one.
    await page.evaluate(`window.testApi = {
      add: async (a, b) => a + b,
      echo: (o) => o,
      coded: () => { const e = new Error('no spawn spot in this scene'); e.name = 'NextframeError'; e.code = 'bad-scene'; throw e; },
      plain: () => { throw new TypeError('x is undefined'); },
    }`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('passes the arguments as JSON and brings the value back', async () => {
    expect(await callPageApi<number>(page, 'test', 'testApi', 'add', 2, 40)).toBe(42);
    expect(await callPageApi(page, 'test', 'testApi', 'echo', { seed: 7, name: 'a"b' })).toEqual({ seed: 7, name: 'a"b' });
  });

  it("keeps a page NextframeError's code, and calls anything else browser-failed, prefixed with the caller", async () => {
    const coded = await errorOf(callPageApi(page, 'record', 'testApi', 'coded'));
    expect([coded.code, coded.message]).toEqual(['bad-scene', 'record: no spawn spot in this scene']);
    const plain = await errorOf(callPageApi(page, 'record', 'testApi', 'plain'));
    expect([plain.code, plain.message]).toEqual(['browser-failed', 'record: x is undefined']);
  });

  it('a closed page is browser-failed, without Playwright\'s stack', async () => {
    const gone = await browser.newPage();
    await gone.close();
    const error = await errorOf(callPageApi(gone, 'GroundTruthRenderer.render', 'testApi', 'add', 1, 2));
    expect(error.code).toBe('browser-failed');
    expect(error.message).toMatch(/^GroundTruthRenderer\.render: /);
    expect(error.message).not.toMatch(/\n\s+at /);
  });
});
