// Draws the toolbar and store icons (extension/icons/*.png) from their SVG sources with headless
// Chromium: `node tools/icons.mjs` after changing icon.svg (on) or paused.svg (paused).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

const DIR = fileURLToPath(new URL('../extension/icons/', import.meta.url));
const ICONS = { icon: [16, 32, 48, 128], paused: [16, 32] };

const browser = await puppeteer.launch({ executablePath: '/usr/lib/chromium/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage();
  for (const [name, sizes] of Object.entries(ICONS)) {
    const svg = readFileSync(`${DIR}${name}.svg`, 'utf8');
    for (const size of sizes) {
      await page.setViewport({ width: size, height: size });
      await page.setContent(`<style>html,body{margin:0;background:transparent}</style><img src="data:image/svg+xml;base64,${
        Buffer.from(svg).toString('base64')}" width="${size}" height="${size}" style="display:block">`);
      await page.screenshot({ path: `${DIR}${name}-${size}.png`, omitBackground: true });
      console.log(`${name}-${size}.png`);
    }
  }
} finally {
  await browser.close();
}
