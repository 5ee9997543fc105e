// Every page of a built site fits a 360 px phone: wide tables and code scroll inside
// their own box, never the page.
// Usage: node overflow.mjs <built site folder> <page>...
import { expect, launch, serveSite } from "./lib.mjs";

const [site, ...pages] = process.argv.slice(2);
const server = await serveSite(site);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const wide = [];
  for (const path of pages) {
    await page.goto(server.url + path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) wide.push(`${path} is ${overflow}px wider than the screen`);
    // Content cut off at the right edge is as bad as a sideways scroll, unless it sits in a
    // box that scrolls on its own (code blocks, tables) and that box fits.
    const cut = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const inScroller = (el) => {
        for (let up = el.parentElement; up; up = up.parentElement) {
          const overflowX = getComputedStyle(up).overflowX;
          if (overflowX === "auto" || overflowX === "scroll") return up.getBoundingClientRect().right <= width + 1;
        }
        return false;
      };
      return [...document.querySelectorAll("main *")]
        .filter((el) => {
          const box = el.getBoundingClientRect();
          return box.width > 0 && box.right > width + 1 && !inScroller(el);
        })
        .slice(0, 3)
        .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${el.textContent.slice(0, 40)}`);
    });
    if (cut.length > 0) wide.push(`${path} has content past the right edge: ${cut.join("; ")}`);
  }
  expect(wide.length === 0, wide.join("\n"));
  console.log(`${pages.length} pages fit 360 px`);
} finally {
  await browser.close();
  await server.close();
}
