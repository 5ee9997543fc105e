// Screenshots of a built site for the README: the home page, a guide chapter in light
// and dark, a phone-width view with the navigation closed and open, and the readiness
// pages (the services dashboard, a report card, a team page) when the site has them.
// Usage: node screenshots.mjs <built site folder> <output folder>
import { access, mkdir, readdir, stat } from "node:fs/promises";
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
  { file: "dashboard.png", path: "services/index.html", scheme: "light", width: 1440, height: 1000, optional: true },
];

// The first report card, whatever the handbook calls it.
const first = async (dir, skip) =>
  (await readdir(join(site, dir)).catch(() => []))
    .filter((name) => name.endsWith(".html") && name !== skip)
    .sort()[0];
const card = await first("services", "index.html");
if (card) SHOTS.push({ file: "report-card.png", path: `services/${card}`, scheme: "light", width: 1440, height: 1000, optional: true });
// The team page with the most on it shows what a team page holds.
const teams = (await readdir(join(site, "teams")).catch(() => [])).filter((name) => name.endsWith(".html"));
const sizes = await Promise.all(teams.map(async (name) => [(await stat(join(site, "teams", name))).size, name]));
const team = sizes.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : 1)).map(([, name]) => name)[0];
if (team) SHOTS.push({ file: "team.png", path: `teams/${team}`, scheme: "light", width: 1440, height: 1000, optional: true });

const server = await serveSite(site);
const browser = await launch();
try {
  for (const shot of SHOTS) {
    if (shot.optional && !(await access(join(site, shot.path)).then(() => true, () => false))) {
      console.log(`skipped ${shot.file}: the site has no ${shot.path}`);
      continue;
    }
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
