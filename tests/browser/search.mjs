// The search box of the built bundled handbook, over HTTP and from file://: each query typed
// gets its expected page first, with the words marked; arrow keys and Enter open a result;
// a query that matches nothing says so and what to try; `/` focuses the box and Escape
// closes the results; the not-found page at depth searches the site too.
// Usage: node search.mjs <built site folder> [path it is served under, default /]
import { pathToFileURL } from "node:url";
import { expect, launch, serveSite } from "./lib.mjs";

const [site, prefix = "/"] = process.argv.slice(2);

// [what is typed, the page that must come first]
const QUERIES = [
  ["ro", "guide/rollout.html"], // a two-letter prefix: "Rolling it out"
  ["settlement-batch", "services/settlement-batch.html"], // a service id (a generated page)
  ["mimalloc", "adr/0009-mimalloc-global-allocator.html"], // an ADR title word
  ["0014", "adr/0014-find-and-redact-credentials-where-files-are-read.html"], // an ADR number
  ["NotificationsBacklogGrowing", "runbooks/notification-backlog-growing.html"], // an alert
  ["team-discovery", "teams/team-discovery.html"], // an owner
  ["search experiment", "services/search-experiment.html"], // two words
];

const server = await serveSite(site, prefix);
const browser = await launch();
try {
  for (const base of [server.url, pathToFileURL(`${site}/`).href]) {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(String(error)));
    await page.goto(`${base}guide/rules/adr.html`);
    const input = page.locator("#search-input");
    expect(await input.isVisible(), `${base}: the search box shows`);
    expect((await input.getAttribute("aria-label")) !== null, "the box is labelled");

    await page.locator("body").press("/");
    expect(await input.evaluate((el) => el === document.activeElement), `${base}: / focuses the box`);

    for (const [query, want] of QUERIES) {
      await input.fill("");
      await input.pressSequentially(query);
      const first = await firstResult(page, base + want);
      expect(first === base + want, `${base}: "${query}" should find ${want} first, found ${first}`);
      const marked = await page.locator(".search-result").first().locator("mark").count();
      expect(marked > 0, `${base}: "${query}": the match is marked`);
      const count = await page.textContent("#search-status");
      expect(/\d+ results? for/.test(count), `${base}: "${query}": the live count says ${count}`);
    }

    // Arrow keys move through the results, Enter opens the chosen one.
    await input.fill("");
    await input.pressSequentially("runbook");
    await firstResult(page, null);
    await input.press("ArrowDown");
    await input.press("ArrowDown");
    const chosen = await page.locator('.search-result[aria-selected="true"]');
    expect((await chosen.count()) === 1, `${base}: one result is chosen`);
    const id = await chosen.getAttribute("id");
    expect(id === "search-result-1", `${base}: ArrowDown twice chooses the second result, not ${id}`);
    expect((await input.getAttribute("aria-activedescendant")) === id, "aria-activedescendant follows");
    await input.press("ArrowUp");
    expect((await input.getAttribute("aria-activedescendant")) === "search-result-0", "ArrowUp goes back");
    await input.press("ArrowDown");
    const target = await chosen.evaluate((option) => option.href);
    await Promise.all([page.waitForURL((url) => url.href === target), input.press("Enter")]);

    // Nothing found: what was searched, and what to try.
    const input2 = page.locator("#search-input");
    await input2.fill("");
    await input2.pressSequentially("zzqqxv wwkkj");
    await page.waitForFunction(() => !document.getElementById("search-message").hidden);
    const message = await page.textContent("#search-message");
    expect(message.includes("No results for “zzqqxv wwkkj”"), `${base}: says what was searched: ${message}`);
    expect(message.includes("Try fewer words"), `${base}: suggests what to try: ${message}`);
    expect((await page.locator(".search-result").count()) === 0, "no results listed");
    expect((await input2.getAttribute("aria-expanded")) === "false", "an empty list is not expanded");

    // Escape closes the results.
    await input2.fill("");
    await input2.pressSequentially("deploy");
    await firstResult(page, null);
    await input2.press("Escape");
    expect(!(await page.isVisible("#search-panel")), `${base}: Escape closes the results`);
    expect(errors.length === 0, `${base}: no script errors: ${errors.join("; ")}`);
    await page.close();
  }

  // The not-found page, served at a deep address (over HTTP) and opened from disk.
  for (const url of [`${server.url}no/such/deep/page.html`, pathToFileURL(`${site}/404.html`).href]) {
    const page = await browser.newPage();
    await page.goto(url);
    const input = page.locator("#search-input");
    await input.pressSequentially("mimalloc");
    const base = url.startsWith("file:") ? pathToFileURL(`${site}/`).href : server.url;
    const want = `${base}adr/0009-mimalloc-global-allocator.html`;
    const first = await firstResult(page, want);
    expect(first === want, `the not-found page at ${url} links results from the site root: ${first}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}

// The first result's address once results are listed (once it is `want`, when given; the
// results of a query typed letter by letter replace each other).
async function firstResult(page, want) {
  try {
    await page.waitForFunction(
      (want) => {
        const link = document.querySelector(".search-result");
        return link && (!want || link.href.split("#")[0] === want);
      },
      want,
      { timeout: 5000 },
    );
  } catch {
    // Report what is there instead.
  }
  const href = await page.evaluate(() => document.querySelector(".search-result")?.href ?? "(no result)");
  return href.split("#")[0];
}
