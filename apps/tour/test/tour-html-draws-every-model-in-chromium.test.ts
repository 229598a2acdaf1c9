// `--html <file>` writes one self-contained page; headless Chromium (Debian's, driven by
// playwright-core) opens it, and every model's section is there with its timeline drawn and a details
// panel that answers a hover.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { expect, inject, test } from 'vitest';

const tour = inject('tour');
const doc = JSON.parse(readFileSync(tour.json, 'utf8')) as { reports: Array<{ model: string; story: unknown }> };

test('the page is self-contained: no external script, style, image or link', () => {
  const html = readFileSync(tour.html, 'utf8');
  expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
  expect(html).not.toMatch(/url\(/);
});

test('Chromium renders a section per model, each model with a story drawn as marks on lanes', async () => {
  const profile = mkdtempSync(join(tmpdir(), 'tour-chromium-'));
  // A fresh profile (--user-data-dir), which playwright-core takes as launchPersistentContext's first argument.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(tour.html).href);
    const sections = await page.$$eval('section.model', (all) => all.map((s) => {
      const svg = s.querySelector('svg.timeline');
      const box = svg?.getBoundingClientRect();
      return { model: s.getAttribute('data-model'), marks: s.querySelectorAll('circle.mark').length,
        lanes: s.querySelectorAll('line.lane').length, width: box?.width ?? 0, height: box?.height ?? 0 };
    }));
    expect(sections.map((s) => s.model)).toEqual(doc.reports.map((r) => r.model));
    for (const r of doc.reports) {
      const s = sections.find((x) => x.model === r.model)!;
      if (!r.story) { expect(s.marks).toBe(0); continue; }
      if (r.model === 'iocp') continue;  // its I/O runs in worker threads: the main thread's trace has little
      expect(s.marks).toBeGreaterThan(5);
      expect(s.lanes).toBe(3);
      expect(s.width).toBeGreaterThan(500);
      expect(s.height).toBeGreaterThan(50);
    }
    // Hovering a mark fills the details panel with what happened and what it means.
    const first = doc.reports.find((r) => r.story)!;
    await page.hover(`section[data-model="${first.model}"] circle.mark.milestone >> nth=0`);
    const details = await page.textContent('#details');
    expect(details).toContain(first.model);
    expect(details!.length).toBeGreaterThan(first.model.length + 20);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
});
