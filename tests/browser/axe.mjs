// axe-core on the built bundled handbook: every page and state of STATES, in the light
// and the dark theme, at desktop and phone widths, has no accessibility violation of
// impact serious or critical. Lesser ones are listed, not failed.
// Usage: node axe.mjs <built site folder> [state name]...
//        node axe.mjs <built site folder> [--once] --pages <page>...
// Naming states runs only those, to iterate on one; `--pages` checks the pages given
// instead of STATES (another site, or every page of this one); `--once` checks them in the
// light theme at desktop width only.
import { createRequire } from "node:module";
import { expect, launch, serveSite } from "./lib.mjs";

/**
 * What is checked. Each entry opens `path` and, when it has `prepare`, brings the page into
 * a state first (a drawer opened, a query typed): a new page or state is one more line.
 * `widths` limits an entry to some of the VIEWPORTS' names.
 */
const STATES = [
  { name: "home", path: "index.html" },
  { name: "guide page", path: "guide/reliability.html" },
  { name: "rule page", path: "guide/rules/link.html" },
  { name: "ADR", path: "adr/0007-theme-choice-before-first-paint.html" },
  { name: "ADR index", path: "adr/index.html" },
  { name: "runbook", path: "runbooks/notification-backlog-growing.html" },
  { name: "runbook index", path: "runbooks/index.html" },
  { name: "service report card", path: "services/payments.html" },
  { name: "services dashboard", path: "services/index.html" },
  { name: "team page", path: "teams/team-payments.html" },
  { name: "waivers", path: "waivers.html" },
  { name: "health page", path: "health.html" },
  { name: "not-found page", path: "404.html" },
  {
    name: "navigation drawer open",
    path: "guide/reliability.html",
    widths: ["phone"],
    prepare: async (page) => {
      await page.locator(".menu-button").click();
      await page.locator("#sidebar").waitFor({ state: "visible" });
    },
  },
  {
    name: "search results",
    path: "guide/reliability.html",
    prepare: async (page) => {
      await page.locator("#search-input").pressSequentially("runbook");
      await page.locator(".search-result").first().waitFor({ state: "visible" });
      // A result chosen with the keyboard, as a reader moves through them.
      await page.locator("#search-input").press("ArrowDown");
    },
  },
  {
    name: "search without results",
    path: "guide/reliability.html",
    prepare: async (page) => {
      await page.locator("#search-input").pressSequentially("zzqqxv");
      await page.locator("#search-message").waitFor({ state: "visible" });
    },
  },
];

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

const THEMES = ["light", "dark"];

/** The impacts that fail the check. */
const FAILING = new Set(["serious", "critical"]);

const [site, ...args] = process.argv.slice(2);
const once = args[0] === "--once";
const only = once ? args.slice(1) : args;
const states =
  only[0] === "--pages"
    ? only.slice(1).map((path) => ({ name: path, path }))
    : only.length === 0
      ? STATES
      : STATES.filter((state) => only.includes(state.name));
const viewports = once ? { desktop: VIEWPORTS.desktop } : VIEWPORTS;
const themes = once ? ["light"] : THEMES;
expect(states.length > 0, `no state is named ${only.join(", ")}; the states are: ${STATES.map((s) => s.name).join(", ")}`);
const axeSource = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const server = await serveSite(site);
const browser = await launch();
const failures = [];
const lesser = new Map();
let runs = 0;
try {
  for (const [width, options] of Object.entries(viewports)) {
    for (const theme of themes) {
      // The reader's stored choice, as the theme toggle leaves it, and an OS of the other
      // colour scheme, so that the stored choice is what makes the theme.
      const context = await browser.newContext({ ...options, colorScheme: theme === "dark" ? "light" : "dark" });
      await context.addInitScript((chosen) => localStorage.setItem("shipshape-theme", chosen), theme);
      const page = await context.newPage();
      for (const state of states.filter((state) => !state.widths || state.widths.includes(width))) {
        const where = `${state.name} (${state.path}, ${theme}, ${width})`;
        const response = await page.goto(server.url + state.path, { waitUntil: "load" });
        expect(response.ok(), `${where}: the page answers ${response.status()}`);
        const pinned = await page.getAttribute("html", "data-theme");
        expect(pinned === theme, `${where}: the stored theme is applied (got ${pinned})`);
        if (state.prepare) await state.prepare(page);
        await page.addScriptTag({ path: axeSource });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { resultTypes: ["violations"] });
          return result.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            targets: violation.nodes.map((node) => node.target.join(" ")),
            summary: violation.nodes[0]?.failureSummary ?? "",
          }));
        });
        runs += 1;
        for (const violation of violations) {
          if (FAILING.has(violation.impact)) {
            failures.push(
              `${violation.id} (${violation.impact}) on ${where}: ${violation.help}\n` +
                violation.targets.map((target) => `    at ${target}`).join("\n") +
                `\n    ${violation.summary.replace(/\n/g, "\n    ")}`,
            );
          } else {
            const key = `${violation.id} (${violation.impact})`;
            lesser.set(key, [...(lesser.get(key) ?? []), where]);
          }
        }
      }
      await context.close();
    }
  }
  for (const [key, wheres] of lesser) console.log(`note: ${key} on ${wheres.length} runs, first ${wheres[0]}`);
  expect(failures.length === 0, `axe-core found ${failures.length} serious or critical violations:\n${failures.join("\n")}`);
  console.log(`axe-core: no serious or critical violation in ${runs} runs`);
} finally {
  await browser.close();
  await server.close();
}
