/// <reference lib="dom" />
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser.testkit.js';
import { runSearch } from './search-command.js';
import {
  postSearch,
  quickDrawFile,
  type ServedIndex,
  servedIndex,
  sketchFile,
} from './serve.testkit.js';

// ZS_SBIR_SCREENSHOT=1 also writes the page with a drawing and its results to
// docs/images/search-page.png.
const SCREENSHOT = join(import.meta.dirname, '..', '..', '..', 'docs', 'images', 'search-page.png');

let served: ServedIndex;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  served = await servedIndex('browser');
  browser = await launchChromium();
  // One page for every test: @sparticuz/chromium runs --single-process, where closing a page or
  // context can take the browser down.
  const context = await browser.newContext({
    hasTouch: true,
    viewport: { width: 1200, height: 760 },
  });
  page = await context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Shown {
  query: number;
  state: string;
  results: { path: string; score: number; loaded: boolean }[];
}

/** What the page shows: the query number of its results, the status, each result. */
function shown(page: Page): Promise<Shown> {
  return page.evaluate(readPage, null) as Promise<Shown>;
}

/**
 * Reads the page in the browser, in one synchronous pass so that the parts belong together.
 * Given `after`, answers false unless the page has settled on the results of a query after it.
 */
function readPage(after: number | null): Shown | false {
  const list = document.getElementById('results')!;
  const now = {
    query: Number(list.dataset.query),
    state: document.getElementById('status')!.dataset.state ?? '',
    results: Array.from(list.querySelectorAll('li')).map((li) => ({
      path: li.dataset.path ?? '',
      score: Number(li.dataset.score),
      loaded: (li.querySelector('img') as HTMLImageElement).naturalWidth > 0,
    })),
  };
  if (after === null) return now;
  return now.query > after && (now.state === 'ready' || now.state === 'empty') ? now : false;
}

/**
 * Waits until the page has settled on the results of a query after `after` (nothing drawn since
 * waits to be searched: the page says "busy" from the first stroke event until the results show),
 * and returns what it shows, read in the same pass as the check.
 */
async function nextResults(page: Page, after: number): Promise<Shown> {
  const handle = await page.waitForFunction(readPage, after, { timeout: 20_000 });
  return (await handle.jsonValue()) as Shown;
}

/** Draws a polyline on the canvas with the mouse, points in canvas fractions (0-1). */
async function stroke(page: Page, points: [number, number][]) {
  const box = (await page.locator('#sketch').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 8 });
  await page.mouse.up();
}

/** The canvas as PNG bytes, as the page would post it. */
async function canvasPng(page: Page): Promise<Buffer> {
  const url = await page.evaluate(() =>
    (document.getElementById('sketch') as HTMLCanvasElement).toDataURL('image/png'),
  );
  return Buffer.from(url.split(',')[1]!, 'base64');
}

describe('the search page in Chromium', () => {
  it('searches as you draw with the mouse; undo and clear', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    await expect.poll(() => page.textContent('#info')).toContain('30 photos indexed (small-cnn');
    const empty = await shown(page);
    expect(empty).toMatchObject({ query: 0, state: 'empty', results: [] });

    await stroke(page, [
      [0.2, 0.3],
      [0.5, 0.15],
      [0.8, 0.3],
      [0.75, 0.8],
      [0.25, 0.8],
      [0.2, 0.3],
    ]);
    const first = await nextResults(page, 0);
    expect(first.state).toBe('ready');
    expect(first.results).toHaveLength(10);
    // What the page shows is the API's answer for the canvas as drawn.
    const api = await postSearch(served.url, await canvasPng(page), '?k=10');
    expect(first.results.map((r) => [r.path, r.score])).toEqual(
      api.json.results!.map((r) => [r.path, r.score]),
    );
    await expect.poll(async () => (await shown(page)).results.every((r) => r.loaded)).toBe(true);

    await stroke(page, [
      [0.35, 0.45],
      [0.45, 0.5],
    ]);
    await stroke(page, [
      [0.55, 0.45],
      [0.65, 0.5],
    ]);
    const drawn = await nextResults(page, first.query);
    const twoMore = await canvasPng(page);
    if (process.env.ZS_SBIR_SCREENSHOT) {
      await mkdir(join(SCREENSHOT, '..'), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
    }
    expect((await sharp(await page.screenshot()).metadata()).width).toBe(1200);

    // Undo twice: back to the first drawing (same pixels, same results); clear empties the list.
    await page.click('#undo');
    await page.keyboard.press('Control+z');
    const undone = await nextResults(page, drawn.query);
    expect(await canvasPng(page)).not.toEqual(twoMore);
    expect(undone.results.map((r) => r.path)).toEqual(first.results.map((r) => r.path));
    await page.click('#clear');
    const cleared = await nextResults(page, undone.query);
    expect(cleared).toMatchObject({ state: 'empty', results: [] });
    expect(errors).toEqual([]);
  });

  it('draws with touch (pointer events) too', async () => {
    await page.goto(served.url);
    const box = (await page.locator('#sketch').boundingBox())!;
    const cdp = await page.context().newCDPSession(page);
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', x: number, y: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd' ? [] : [{ x: box.x + x * box.width, y: box.y + y * box.height }],
      });
    await touch('touchStart', 0.2, 0.2);
    for (let i = 1; i <= 10; i++) await touch('touchMove', 0.2 + i * 0.06, 0.2 + i * 0.05);
    await touch('touchEnd', 0, 0);
    const result = await nextResults(page, 0);
    expect(result.results).toHaveLength(10);
    expect((await sharp(await canvasPng(page)).stats()).channels[0]!.min).toBe(0);
    await cdp.detach();
  });

  it('shows for an opened sketch PNG (a Quick, Draw! cat, a drawn one) the same top 10 as zs-sbir-search query --json', async () => {
    await page.goto(served.url);
    const files = [
      await quickDrawFile(served.work, 'cat', 0),
      await sketchFile(served.work, 11),
      await sketchFile(served.work, 12),
    ];
    for (const file of files) {
      const before = (await shown(page)).query;
      await page.setInputFiles('#upload', file);
      const page10 = await nextResults(page, before);
      const printed: string[] = [];
      await runSearch(['query', '--index', served.dir, '--sketch', file, '--k', '10', '--json'], {
        log: () => {},
        print: (t) => printed.push(t),
      });
      const cli = JSON.parse(printed[0]!) as { path: string; score: number }[];
      expect(cli).toHaveLength(10);
      expect(page10.results.map((r) => r.path)).toEqual(cli.map((r) => r.path));
      expect(page10.results.map((r) => Number(r.score.toFixed(6)))).toEqual(
        cli.map((r) => r.score),
      );
    }
    // The opened PNG is drawn on the canvas (strokes go on top of it).
    const png = await sharp(await canvasPng(page)).stats();
    expect(png.channels[0]!.min).toBeLessThan(50);
    expect(await readFile(join(served.work, 'sketch-12.png'))).toBeInstanceOf(Buffer);
  });
});
