// Screenshots of a built site for the README: the home page, a guide chapter in light
// and dark, and a phone-width view with the navigation closed and open.
// Usage: node screenshots.mjs <built site folder> <output folder>
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { launch, serveSite } from "./lib.mjs";

const [site, outDir] = process.argv.slice(2);
if (!site || !outDir) {
  console.error("usage: node screenshots.mjs <built site folder> <output folder>");
  process.exit(2);
}
await mkdir(outDir, { recursive: true });

const SHOTS = [
  { file: "home.png", path: "index.html", scheme: "light", width: 1440, height: 900 },
  { file: "guide-light.png", path: "guide/reliability.html", scheme: "light", width: 1440, height: 900 },
  { file: "guide-dark.png", path: "guide/reliability.html#retries", scheme: "dark", width: 1440, height: 900 },
  { file: "phone.png", path: "guide/checklist.html", scheme: "light", width: 360, height: 740, phone: true },
  { file: "phone-menu.png", path: "guide/checklist.html", scheme: "light", width: 360, height: 740, phone: true, menu: true },
];

const server = await serveSite(site);
const browser = await launch();
try {
  for (const shot of SHOTS) {
    const context = await browser.newContext({
      colorScheme: shot.scheme,
      viewport: { width: shot.width, height: shot.height },
      deviceScaleFactor: shot.phone ? 2 : 1,
      isMobile: Boolean(shot.phone),
      hasTouch: Boolean(shot.phone),
      reducedMotion: "reduce",
    });
    const page = await context.newPage();
    await page.goto(server.url + shot.path, { waitUntil: "load" });
    if (shot.menu) {
      await page.locator(".menu-button").tap();
      await page.locator("#sidebar").waitFor({ state: "visible" });
    }
    await page.screenshot({ path: join(outDir, shot.file) });
    console.log(`wrote ${join(outDir, shot.file)}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
