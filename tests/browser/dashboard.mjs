// The services dashboard opened from disk (no server): the owner, tier and level filters
// show only the matching rows, the header buttons sort them, and without scripts the
// controls are hidden and every row is listed.
// Usage: node dashboard.mjs <built site folder>
import { pathToFileURL } from "node:url";
import { expect, launch } from "./lib.mjs";

const [site] = process.argv.slice(2);
const url = pathToFileURL(`${site}/services/index.html`).href;
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(url);
  const visible = () =>
    page.$$eval(".dashboard-grid tbody tr", (rows) =>
      rows.filter((row) => !row.hidden).map((row) => row.getAttribute("data-service")));
  const same = (got, want, what) =>
    expect(got.join() === want.join(), `${what}: expected ${want}, saw ${got}`);

  expect(await page.isVisible(".dashboard-controls"), "the filters show where scripts run");
  same(await visible(), ["checkout", "indexer", "lab", "ledger", "query"], "every service at first");

  await page.selectOption('select[name="owner"]', "search");
  same(await visible(), ["indexer", "query"], "owner search");
  expect((await page.textContent(".dashboard-count")) === "2 of 5 services shown", "the count follows");
  await page.selectOption('select[name="tier"]', "2");
  same(await visible(), ["query"], "owner search and tier 2");
  await page.selectOption('select[name="owner"]', "");
  same(await visible(), ["ledger", "query"], "tier 2");
  await page.selectOption('select[name="tier"]', "");
  await page.selectOption('select[name="level"]', "bronze");
  same(await visible(), ["ledger"], "level bronze");
  await page.selectOption('select[name="level"]', "none");
  same(await visible(), ["checkout", "indexer", "lab", "query"], "level none");
  await page.selectOption('select[name="level"]', "");

  await page.click('button[data-sort="tier"]');
  same(await visible(), ["checkout", "ledger", "query", "indexer", "lab"], "by tier, ascending");
  expect((await page.getAttribute('th[data-key="tier"]', "aria-sort")) === "ascending", "aria-sort says so");
  await page.click('button[data-sort="tier"]');
  same(await visible(), ["lab", "indexer", "ledger", "query", "checkout"], "by tier, descending");
  await page.click('button[data-sort="owner"]');
  same(await visible(), ["checkout", "ledger", "indexer", "query", "lab"], "by owner");
  await page.click('button[data-sort="level"]');
  await page.click('button[data-sort="level"]');
  same((await visible()).slice(0, 1), ["ledger"], "by level, highest first");
  expect((await page.getAttribute('th[data-key="tier"]', "aria-sort")) === null, "one column is sorted at a time");
  // Filtering keeps the sorted order.
  await page.selectOption('select[name="owner"]', "payments");
  same(await visible(), ["ledger", "checkout"], "payments, by level");

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(url);
  expect(!(await plain.isVisible(".dashboard-controls")), "no filters without scripts");
  expect(!(await plain.isVisible('button[data-sort="tier"]')), "no sort buttons without scripts");
  expect(await plain.isVisible('th[data-key="tier"] .sort-label'), "the plain heading instead");
  const rows = await plain.$$eval(".dashboard-grid tbody tr", (rows) =>
    rows.filter((row) => !row.hidden && row.getClientRects().length > 0).length);
  expect(rows === 5, `every service listed without scripts: ${rows}`);
  console.log("the dashboard filters and sorts");
} finally {
  await browser.close();
}
