// Search on a built site in headless chromium, opened from file://, for each query of a
// list (one a line, `#` comments): the bytes the query loads (search.js, the manifest,
// the shards and the documents of the results shown, uncompressed, from the scripts it
// added to the page) and how long results take to show.
//   cold: a fresh page, the whole query put in the box at once: index scripts loaded
//         from scratch, until the results for it are in the page and painted;
//   keystroke: the same query typed again letter by letter (from the second letter),
//         each letter until its results are painted, with what earlier letters loaded.
// Prints each query and the medians. Usage: node search_latency.mjs SITE QUERIES
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { launch } from "../tests/browser/lib.mjs";

const LIMIT = 300_000;
const [site, list] = process.argv.slice(2);
const queries = (await readFile(list, "utf8"))
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));

const clientBytes = (await stat(join(site, "static/search.js"))).size;
const browser = await launch();

// In the page: puts `text` in the box and resolves with the ms until the status names it
// and a frame has been painted after.
function typeAndWait(text) {
  const input = document.getElementById("search-input");
  const status = document.getElementById("search-status");
  return new Promise((resolve) => {
    const start = performance.now();
    const done = () => status.textContent.includes(`“${text}”`);
    const finish = () => requestAnimationFrame(() => resolve(performance.now() - start));
    const observer = new MutationObserver(() => {
      if (done()) {
        observer.disconnect();
        finish();
      }
    });
    observer.observe(status, { childList: true, characterData: true, subtree: true });
    input.value = text;
    input.dispatchEvent(new Event("input"));
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const rows = [];
const keystrokes = [];
try {
  for (const query of queries) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site, "index.html")).href);
    const cold = await page.evaluate(typeAndWait, query);
    const index = pathToFileURL(join(site, "search")).href + "/";
    const loaded = await page.$$eval("script[src]", (tags, index) =>
      tags.map((tag) => tag.src).filter((src) => src.startsWith(index)), index);
    let bytes = clientBytes;
    for (const src of loaded) bytes += (await stat(fileURLToPath(src))).size;
    const results = await page.$$eval(".search-result", (items) => items.length);
    const first = await page.$eval(".search-result a", (a) => a.getAttribute("href")).catch(() => "");
    await page.evaluate(() => {
      const input = document.getElementById("search-input");
      input.value = "";
      input.dispatchEvent(new Event("input"));
    });
    const typed = [];
    const letters = Array.from(query);
    for (let end = 2; end <= letters.length; end++) {
      const prefix = letters.slice(0, end).join("");
      if (prefix.trim() !== prefix) continue; // the box trims: no new query
      typed.push(await page.evaluate(typeAndWait, prefix));
    }
    keystrokes.push(...typed);
    rows.push({ query, bytes, scripts: loaded.length, results, cold, typed: typed.length ? median(typed) : 0, first });
    await page.close();
  }
} finally {
  await browser.close();
}

const pad = (text, width) => String(text).padEnd(width);
console.log(`${pad("query", 28)}${pad("bytes", 10)}${pad("scripts", 9)}${pad("shown", 7)}${pad("cold ms", 9)}${pad("key ms", 8)}first`);
for (const row of rows) {
  const first = row.first.split("/").slice(-1)[0].slice(-40);
  console.log(
    `${pad(row.query, 28)}${pad(row.bytes, 10)}${pad(row.scripts, 9)}${pad(row.results, 7)}` +
      `${pad(row.cold.toFixed(1), 9)}${pad(row.typed.toFixed(1), 8)}${first}`,
  );
}
const bytes = rows.map((row) => row.bytes);
const over = rows.filter((row) => row.bytes >= LIMIT);
console.log(
  `\n${rows.length} queries: bytes loaded median ${median(bytes)}, max ${Math.max(...bytes)} ` +
    `(${over.length ? `OVER ${LIMIT} for ${over.map((row) => row.query).join(", ")}` : `all under ${LIMIT}`})`,
);
console.log(
  `cold query to results: median ${median(rows.map((row) => row.cold)).toFixed(1)} ms, ` +
    `max ${Math.max(...rows.map((row) => row.cold)).toFixed(1)} ms`,
);
console.log(
  `keystroke to results: median ${median(keystrokes).toFixed(1)} ms over ${keystrokes.length} keystrokes, ` +
    `max ${Math.max(...keystrokes).toFixed(1)} ms; ` +
    `${keystrokes.filter((ms) => ms <= 50).length} within 50 ms`,
);
if (over.length) process.exitCode = 1;
