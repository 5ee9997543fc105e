// The default theme in a real browser: the light/dark toggle remembers the reader's
// choice and defaults to the OS, the phone layout hides the sidebar behind a button,
// nothing overflows a 360 px screen, nothing moves once shown, print drops the navigation
// and shows where links go, and the 404 page is styled at any depth and when opened from
// disk (file://).
// Usage: node theme.mjs <built site folder> <the site's base-url path, e.g. /handbook/>
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { expect, launch, serveSite, widthProblems } from "./lib.mjs";

const [site, prefix] = process.argv.slice(2);
const server = await serveSite(site, prefix);
const browser = await launch();
try {
  await themeToggle(browser, server.url);
  await osDefault(browser, server.url);
  await phoneDrawer(browser, server.url);
  await withoutTheScript(browser, server.url);
  await noLayoutShift(browser, server.url);
  await print(browser, server.url);
  await notFound(browser, server.url);
  await codeTools(browser, server.url);
  await notFoundFromDisk(browser, site);
  console.log("browser checks passed");
} finally {
  await browser.close();
  await server.close();
}

function background(page, selector) {
  return page.$eval(selector, (el) => getComputedStyle(el).backgroundColor);
}

async function themeToggle(browser, url) {
  const context = await browser.newContext({ colorScheme: "light", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(url + "reference/includes.html");
  expect((await page.getAttribute("html", "data-theme")) === null, "no theme is pinned before a choice");
  const lightBody = await background(page, "body");
  const lightCode = await background(page, "pre");
  const toggle = page.locator(".theme-toggle");
  expect(await toggle.isVisible(), "the theme toggle is visible");
  expect((await toggle.getAttribute("aria-label")) === "Switch to the dark theme", "the toggle says what it does");

  await toggle.click();
  expect((await page.getAttribute("html", "data-theme")) === "dark", "a click pins the dark theme");
  expect((await background(page, "body")) !== lightBody, "the page turns dark");
  expect((await background(page, "pre")) !== lightCode, "code blocks turn dark with the page");
  expect((await page.$eval("#hl-dark", (el) => el.media)) === "all", "the dark code colours are loaded");
  expect((await toggle.getAttribute("aria-label")) === "Switch to the light theme", "the label follows");

  // The choice survives a reload and another page, and is applied before first paint.
  await page.goto(url + "index.html");
  const atFirstPaint = await page.evaluate(() => document.documentElement.dataset.theme);
  expect(atFirstPaint === "dark", `the stored theme applies on the next page (got ${atFirstPaint})`);
  expect((await background(page, "body")) !== lightBody, "the next page is dark too");

  await page.locator(".theme-toggle").click();
  await page.reload();
  expect((await page.getAttribute("html", "data-theme")) === "light", "switching back is remembered");
  await context.close();
}

async function osDefault(browser, url) {
  const context = await browser.newContext({ colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(url + "reference/includes.html");
  expect((await page.getAttribute("html", "data-theme")) === null, "nothing is stored yet");
  expect(
    (await page.locator(".theme-toggle").getAttribute("aria-label")) === "Switch to the light theme",
    "a dark OS starts dark, so the toggle offers light",
  );
  const dark = await background(page, "body");
  const light = await (async () => {
    await page.emulateMedia({ colorScheme: "light" });
    return background(page, "body");
  })();
  expect(dark !== light, "without a choice the page follows the OS");
  await context.close();
}

async function phoneDrawer(browser, url) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(url + "reference/includes.html");
  const sidebar = page.locator("#sidebar");
  const menu = page.locator(".menu-button");
  expect(await menu.isVisible(), "the menu button shows on a phone");
  expect(!(await sidebar.isVisible()), "the sidebar starts hidden on a phone");
  const problems = await widthProblems(page);
  expect(problems.length === 0, `the page fits the phone, but it ${problems.join(", and ")}`);

  await menu.tap();
  await sidebar.waitFor({ state: "visible", timeout: 2000 });
  expect((await menu.getAttribute("aria-expanded")) === "true", "aria-expanded follows");
  await page.waitForFunction(() => document.getElementById("sidebar").getBoundingClientRect().x >= 0);
  const box = await sidebar.boundingBox();
  expect(box.x + box.width <= 360, "the drawer is on screen");
  expect(await page.$eval(".main", (el) => el.inert), "the page behind the drawer is inert");
  const focused = await page.evaluate(() => document.activeElement.getAttribute("aria-current"));
  expect(focused === "page", "opening the drawer focuses the current page's entry");

  await page.keyboard.press("Escape");
  await sidebar.waitFor({ state: "hidden", timeout: 2000 });
  expect((await menu.getAttribute("aria-expanded")) === "false", "aria-expanded follows");
  expect(!(await page.$eval(".main", (el) => el.inert)), "the page is usable again");

  await menu.tap();
  await sidebar.waitFor({ state: "visible", timeout: 2000 });
  await page.mouse.click(350, 400); // on the dimmed page, right of the drawer
  await sidebar.waitFor({ state: "hidden", timeout: 2000 });
  const back = await page.evaluate(() => document.activeElement.classList.contains("menu-button"));
  expect(back, "a tap beside the drawer closes it and gives the focus back to the menu button");
  await context.close();

  const wide = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const desk = await wide.newPage();
  await desk.goto(url + "reference/includes.html");
  expect(await desk.locator("#sidebar").isVisible(), "the sidebar is always shown on a desktop");
  expect(!(await desk.locator(".menu-button").isVisible()), "no menu button on a desktop");
  await wide.close();
}

async function withoutTheScript(browser, url) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  await page.route("**/shipshape.js", (route) => route.abort());
  await page.goto(url + "reference/includes.html");
  expect(await page.locator("#sidebar").isVisible(), "if the script cannot load, the navigation stays on the page");
  expect(!(await page.locator(".menu-button").isVisible()), "and no dead menu button is shown");
  await context.close();
}

async function noLayoutShift(browser, url) {
  for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
    const context = await browser.newContext({ viewport, isMobile: viewport.width < 800 });
    // A reader who chose dark: the pre-paint script must apply it without moving anything.
    await context.addInitScript(() => localStorage.setItem("shipshape-theme", "dark"));
    const page = await context.newPage();
    await page.goto(url + "reference/includes.html", { waitUntil: "load" });
    const shift = await page.evaluate(
      () =>
        new Promise((resolve) => {
          let total = 0;
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
          }).observe({ type: "layout-shift", buffered: true });
          setTimeout(() => resolve(total), 500);
        }),
    );
    expect(shift === 0, `nothing moves after the first paint at ${viewport.width} px (layout shift ${shift})`);
    await context.close();
  }
}

async function print(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url + "reference/includes.html");
  await page.emulateMedia({ media: "print" });
  for (const part of ["#sidebar", ".topbar", ".pager", ".footer"]) {
    expect(!(await page.locator(part).isVisible()), `${part} is not printed`);
  }
  const after = (selector) => page.$eval(selector, (el) => getComputedStyle(el, "::after").content);
  const external = await after('.doc a[href^="https://"]');
  expect(external.includes("https://rust-lang.github.io/mdBook/"), `an external link prints its address (${external})`);
  await context.close();
}

// Every code block gets a copy button; a block with hidden lines (rustdoc_include's `# `
// lines) gets a button that shows them. Without scripts the hidden lines stay in view.
async function codeTools(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const page = await context.newPage();
  await page.goto(url + "reference/includes.html");
  const blocks = page.locator(".code-block");
  const count = await blocks.count();
  expect(count >= 4, `the page has its code blocks (got ${count})`);
  expect((await page.locator(".code-tools button", { hasText: "Copy" }).count()) === count, "every block has a copy button");
  const hidden = blocks.last();
  const boring = hidden.locator(".boring").first();
  expect(!(await boring.isVisible()), "hidden lines start hidden");
  await hidden.hover();
  const reveal = hidden.locator(".code-tools button").first();
  expect((await reveal.textContent()) === "Show all", "the block with hidden lines offers to show them");
  await reveal.click();
  expect(await boring.isVisible(), "a click shows the hidden lines");
  expect((await reveal.getAttribute("aria-pressed")) === "true", "the button says it is pressed");
  expect((await reveal.textContent()) === "Hide", "and offers to hide them again");
  await reveal.click();
  expect(!(await boring.isVisible()), "a second click hides them again");

  await hidden.locator("button", { hasText: "Copy" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const visible = await hidden.locator("code").evaluate((el) => el.innerText.replace(/\n$/, ""));
  expect(copied === visible, `the copy is the code as shown (got ${JSON.stringify(copied)})`);
  expect(copied.includes("answer") && !copied.includes("fn main"), "hidden lines are not copied while hidden");
  expect((await hidden.locator("button", { hasText: "Copied" }).count()) === 1, "the button confirms the copy");
  await context.close();

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(url + "reference/includes.html");
  expect(await plain.locator(".code-block").last().locator(".boring").first().isVisible(), "without scripts hidden lines stay visible");
  expect((await plain.locator(".code-tools").count()) === 0, "without scripts there are no dead buttons");
  await noScript.close();
}

async function notFound(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The site is served under a path, as on a GitHub Pages project site.
  const response = await page.goto(url + "some/deep/missing-page.html");
  expect(response.status() === 404, "the server answers 404");
  expect((await page.textContent("h1")) === "Page not found", "the not-found page is shown");
  const styled = await page.$eval(".topbar", (el) => getComputedStyle(el).position);
  expect(styled === "sticky", "the not-found page is styled however deep the missing address is");
  await page.click("text=Go to the start page");
  await page.waitForURL(url + "index.html");
  await context.close();
}

// A reader who opens the built 404.html straight from disk: its <base href> (the base-url)
// would point at the file system's root, so the page drops it under file://. (Chromium's
// preload scanner still tries the <base> addresses first; those misses are harmless.)
async function notFoundFromDisk(browser, site) {
  const root = resolve(site);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(root, "404.html")).href);
  expect((await page.textContent("h1")) === "Page not found", "the not-found page opens from disk");
  expect((await page.locator("base").count()) === 0, "from file:// the page drops its <base>");
  const styled = await page.$eval(".topbar", (el) => getComputedStyle(el).position);
  expect(styled === "sticky", `the not-found page is styled from file:// (topbar position ${styled})`);
  const sheet = await page.$eval('link[rel="stylesheet"]', (el) => el.href);
  const want = pathToFileURL(join(root, "static/style.css")).href;
  expect(sheet === want, `its stylesheet is the site's (${sheet}, not ${want})`);
  const start = page.getByRole("link", { name: "Go to the start page" });
  const href = await start.evaluate((el) => el.href);
  const index = pathToFileURL(join(root, "index.html")).href;
  expect(href === index, `from file:// the start-page link goes to ${index}, not ${href}`);
  expect(existsSync(fileURLToPath(href)), `the start page ${href} exists`);
  const health = await page.getByRole("link", { name: "See the docs-health page" }).evaluate((el) => el.href);
  expect(health === pathToFileURL(join(root, "health.html")).href, `the docs-health link goes to the site's (${health})`);
  await start.click();
  await page.waitForURL(index);
  expect((await page.textContent("h1")) !== "Page not found", "the start page opens");
  await context.close();
}
