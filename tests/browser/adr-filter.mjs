// The ADR index's status filter: hidden without scripts, and with them each button shows
// only the decisions of its status, opened from disk (no server).
// Usage: node adr-filter.mjs <built site folder>
import { pathToFileURL } from "node:url";
import { expect, launch } from "./lib.mjs";

const [site] = process.argv.slice(2);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(`${site}/adr/index.html`).href);
  const visible = () =>
    page.$$eval(".adr-index tbody tr", (rows) =>
      rows.filter((row) => !row.hidden).map((row) => row.querySelector("td").textContent));
  expect(await page.isVisible(".adr-index .status-filter"), "the filter shows where scripts run");
  const all = await visible();
  expect(all.length === 5, `all five decisions listed at first: ${all}`);
  await page.click('.status-filter button[data-status="superseded"]');
  const superseded = await visible();
  expect(superseded.join() === "ADR-0001,ADR-0003", `superseded only: ${superseded}`);
  const pressed = await page.getAttribute('.status-filter button[data-status="superseded"]', "aria-pressed");
  expect(pressed === "true", "the chosen button is pressed");
  await page.click('.status-filter button[data-status="all"]');
  expect((await visible()).length === 5, "all again");

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(pathToFileURL(`${site}/adr/index.html`).href);
  expect(!(await plain.isVisible(".adr-index .status-filter")), "no filter buttons without scripts");
  const rows = await plain.$$eval(".adr-index tbody tr", (rows) => rows.filter((row) => !row.hidden).length);
  expect(rows === 5, `every decision listed without scripts: ${rows}`);
  console.log("the ADR status filter works");
} finally {
  await browser.close();
}
