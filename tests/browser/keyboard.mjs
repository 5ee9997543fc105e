// The keyboard on the built bundled handbook, in the light and the dark theme, at desktop
// and phone widths: the first Tab reaches the skip link, shown on screen; following it
// puts the next Tab inside the main content, on the same address; the top bar's health
// badge (a bare dot on a phone) is named; and every Tab stop on the way (the top bar,
// the navigation, links, buttons, scrolling tables and code) shows a focus ring at least
// 2 px wide whose colour has 3:1 against the page.
// Usage: node keyboard.mjs <built site folder>
import { expect, launch, serveSite } from "./lib.mjs";

/** The pages walked; one more is one more line. */
const PAGES = [
  "index.html",
  "guide/reliability.html",
  "services/payments.html",
  "services/index.html",
  "adr/index.html",
  // The 404 page, at a missing address: its skip link must stay on that address.
  "some/missing/page.html",
];

const VIEWPORTS = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

/** How many Tab stops of each page are looked at. */
const STOPS = 80;

const [site] = process.argv.slice(2);
const server = await serveSite(site);
const browser = await launch();
const problems = [];
let stops = 0;
try {
  for (const [width, options] of Object.entries(VIEWPORTS)) {
    for (const theme of ["light", "dark"]) {
      const context = await browser.newContext({ ...options, colorScheme: theme });
      await context.addInitScript((chosen) => localStorage.setItem("shipshape-theme", chosen), theme);
      const page = await context.newPage();
      for (const path of PAGES) {
        const where = `${path} (${theme}, ${width})`;
        await page.goto(server.url + path);
        const address = page.url();
        await page.keyboard.press("Tab");
        const skip = await page.evaluate(() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          return { skip: el.classList.contains("skip-link"), onScreen: box.top >= 0 && box.bottom <= innerHeight };
        });
        if (!skip.skip) problems.push(`${where}: the first Tab does not reach the skip link`);
        else {
          // The slide-in transition: wait for the link to be in view.
          await page.waitForFunction(() => document.activeElement.getBoundingClientRect().top >= 0, null, { timeout: 2000 }).catch(() => {
            problems.push(`${where}: the focused skip link stays off screen`);
          });
          await page.keyboard.press("Enter");
          await page.keyboard.press("Tab");
          const inMain = await page.evaluate(() => !!document.activeElement.closest("main"));
          if (!inMain) problems.push(`${where}: after the skip link, Tab does not go to the main content`);
          if (page.url() !== `${address}#content`) problems.push(`${where}: the skip link leads to ${page.url()}`);
        }
        await page.goto(server.url + path);
        // The health badge is a bare dot on a phone: its name must say what it is.
        const health = page.locator("header").getByRole("link", { name: /^Docs health/ });
        if (!(await health.isVisible())) problems.push(`${where}: no visible link named "Docs health…" in the top bar`);
        for (let stop = 0; stop < STOPS; stop += 1) {
          await page.keyboard.press("Tab");
          const ring = await page.evaluate(focusRing);
          if (ring.done) break;
          stops += 1;
          if (ring.problem) problems.push(`${where}: ${ring.problem} at ${ring.what}`);
        }
      }
      await context.close();
    }
  }
  expect(problems.length === 0, `keyboard problems:\n${[...new Set(problems)].join("\n")}`);
  console.log(`keyboard: skip links work and ${stops} Tab stops show a focus ring`);
} finally {
  await browser.close();
  await server.close();
}

/** In the page: whether the focused element shows a ring that can be seen. */
function focusRing() {
  const el = document.activeElement;
  if (!el || el === document.body) return { done: true };
  const what = `<${el.tagName.toLowerCase()} class="${el.className}"> ${(el.textContent || "").trim().slice(0, 30)}`;
  const style = getComputedStyle(el);
  const width = parseFloat(style.outlineWidth);
  if (style.outlineStyle === "none" || !(width >= 2)) return { what, problem: `no focus ring (outline ${style.outline})` };
  const rgb = (text) => text.match(/[\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => {
    const linear = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const page = luminance(rgb(getComputedStyle(document.body).backgroundColor));
  const ring = luminance(rgb(style.outlineColor));
  const ratio = (Math.max(page, ring) + 0.05) / (Math.min(page, ring) + 0.05);
  if (ratio < 3) return { what, problem: `a focus ring of ${ratio.toFixed(2)}:1 against the page` };
  return { what };
}
