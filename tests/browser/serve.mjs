// `shipshape serve` in a browser: an edit shows without a manual reload and keeps the
// scroll position; a broken teams.yaml brings up the error overlay, and fixing it
// takes the overlay away.
// Usage: node serve.mjs <served url> <handbook folder>
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, launch } from "./lib.mjs";

const [url, root] = process.argv.slice(2);
const page_file = join(root, "content/guide/long.md");
const teams_file = join(root, "content/teams.yaml");
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  await page.goto(`${url}guide/long.html`);
  await page.waitForFunction(() => window.scrollTo !== undefined);
  expect(await page.isVisible("text=Paragraph 1 of the long page"), "the page is served");
  // Give live.js time to open its event stream before the first edit.
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, 1500));
  const before = await page.evaluate(() => window.scrollY);
  expect(before > 1000, `the page scrolled (${before})`);

  const text = await readFile(page_file, "utf8");
  const reloaded = page.waitForEvent("load", { timeout: 20000 });
  await writeFile(page_file, text.replace("Paragraph 1 of the long page", "Paragraph 1, edited while open"));
  await reloaded;
  await page.waitForSelector("text=Paragraph 1, edited while open", { state: "attached", timeout: 20000 });
  await page.waitForFunction((at) => Math.abs(window.scrollY - at) < 5, before, { timeout: 5000 });
  const after = await page.evaluate(() => window.scrollY);
  expect(Math.abs(after - before) < 5, `the scroll position is kept (${before} → ${after})`);

  const teams = await readFile(teams_file, "utf8");
  await writeFile(teams_file, teams.replace("id: payments", "id: [payments"));
  await page.waitForSelector(".shipshape-overlay", { timeout: 20000 });
  const overlay = await page.textContent(".shipshape-overlay");
  expect(overlay.includes("content/teams.yaml"), `the overlay names the file: ${overlay}`);

  await writeFile(teams_file, teams);
  await page.waitForSelector(".shipshape-overlay", { state: "detached", timeout: 20000 });
  console.log("serve reloads in place, keeps the scroll position and shows build errors");
} finally {
  await browser.close();
}
