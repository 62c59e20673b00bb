import { expect, test } from '@playwright/test';

// The fixture model must give PyTorch's numbers in the browser too, on both backends.
for (const device of ['wasm', 'webgpu'] as const) {
  for (const fixture of ['tiny', 'tiny-streams']) {
    test(`${fixture} matches PyTorch on ${device} (max abs diff ≤ 1e-4)`, async ({ page }) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('/tests/e2e/pages/parity.html');
      await page.waitForSelector('body[data-ready="true"]');
      const result = await page.evaluate(
        ([f, d]) => (window as unknown as { runParity(f: string, d: string): Promise<{ backend: string; fallbackReason: string | null; cases: { name: string; maxAbsDiff: number }[] }> }).runParity(f, d),
        [`/tests/fixtures/${fixture}/`, device] as const,
      );
      expect(result.fallbackReason).toBeNull();
      expect(result.backend).toBe(device);
      expect(result.cases.length).toBeGreaterThanOrEqual(3);
      for (const c of result.cases) expect(c.maxAbsDiff, c.name).toBeLessThanOrEqual(1e-4);
      expect(errors).toEqual([]);
    });
  }
}
