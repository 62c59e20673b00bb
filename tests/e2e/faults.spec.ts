import { expect, test, type Page, type Route } from '@playwright/test';

// Faults survived, nothing lost (issue 17, part 4): each fault is made on purpose in a real
// browser and the engine is shown to get over it, or to say clearly what happened and what to do.

const MODEL = '/tests/fixtures/tiny/';

interface Loaded {
  ok: boolean;
  paints?: boolean;
  downloads?: number;
  code?: string | null;
  message?: string;
}

async function open(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/tests/e2e/pages/faults.html');
  await page.waitForSelector('body[data-ready="true"]');
  return errors;
}

/** Serve the model file with only its first half, though its Content-Length promises all of it. */
async function cutHalfWay(route: Route): Promise<void> {
  const response = await route.fetch();
  const body = await response.body();
  await route.fulfill({ status: 200, headers: { ...response.headers(), 'content-length': String(body.length) }, body: body.subarray(0, body.length >> 1) });
}

test('a corrupt cached model (its hash is not the manifest\'s) is fetched again, and the good copy cached', async ({ page }) => {
  const errors = await open(page);
  const r = await page.evaluate((url) => (window as unknown as { corruptCache(url: string): Promise<Record<string, unknown>> }).corruptCache(url), MODEL);
  expect(r.first).toEqual({ fromCache: false, cacheRejected: false, downloads: 1 });
  expect(r.cachedKeys).toBe(1);
  // The damaged copy was refused by its hash and the model downloaded again; it paints.
  expect(r.second).toEqual({ fromCache: false, cacheRejected: true, downloads: 1, paints: true });
  expect(r.recachedIsGood).toBe(true);
  expect(r.warnings).toEqual([expect.stringMatching(/cached copy of .*model\.onnx does not match the manifest's modelSha256; it was deleted and the model is fetched again/)]);
  // The next load is served from the (now good) cache again.
  expect(r.third).toEqual({ fromCache: true, cacheRejected: false, downloads: 0 });
  expect(errors).toEqual([]);
});

test('a model download cut half-way is downloaded again, and the model plays', async ({ page }) => {
  const errors = await open(page);
  let requests = 0;
  await page.route('**/tests/fixtures/tiny/model.onnx', async (route) => {
    requests++;
    if (requests === 1) await cutHalfWay(route);
    else await route.continue();
  });
  const r = await page.evaluate((url) => (window as unknown as { tryLoad(url: string, how: string): Promise<Loaded> }).tryLoad(url, 'cached'), MODEL);
  expect(r).toEqual({ ok: true, paints: true, downloads: 2 });
  expect(requests).toBe(2);
  expect(errors).toEqual([]);
});

test('a model download cut every time gives a clear error, and loading again once the network is back works', async ({ page }) => {
  const errors = await open(page);
  let requests = 0;
  const cut = async (route: Route): Promise<void> => {
    requests++;
    await cutHalfWay(route);
  };
  await page.route('**/tests/fixtures/tiny/model.onnx', cut);
  const load = (how: 'cached' | 'plain') => page.evaluate(([url, h]) => (window as unknown as { tryLoad(url: string, how: string): Promise<Loaded> }).tryLoad(url!, h!), [MODEL, how]);

  const cached = await load('cached');
  expect(requests).toBe(3); // the first try and two retries
  expect(cached.ok).toBe(false);
  expect(cached.code).toBe('download-incomplete');
  // What happened, and what to do.
  expect(cached.message).toMatch(/model file "model\.onnx" from .*model\.onnx was cut off after \d+ of \d+ bytes/);
  expect(cached.message).toMatch(/Tried 3 times\. Check the connection and call loadCachedModel again\./);

  const plain = await load('plain');
  expect(plain.ok).toBe(false);
  expect(plain.code).toBe('download-incomplete');
  expect(plain.message).toMatch(/check the connection and load the model again/);

  // The network is back: the same calls succeed.
  await page.unroute('**/tests/fixtures/tiny/model.onnx', cut);
  expect(await load('cached')).toEqual({ ok: true, paints: true, downloads: 1 });
  expect(await load('plain')).toEqual({ ok: true, paints: true, downloads: 1 });
  expect(errors).toEqual([]);
});
