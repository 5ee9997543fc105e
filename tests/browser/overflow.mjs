// Every page of a built site fits a 360 px phone: wide tables and code scroll inside
// their own box, never the page.
// Usage: node overflow.mjs <built site folder> <page>...
import { expect, launch, serveSite, widthProblems } from "./lib.mjs";

const [site, ...pages] = process.argv.slice(2);
const server = await serveSite(site);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const wide = [];
  for (const path of pages) {
    await page.goto(server.url + path);
    for (const problem of await widthProblems(page)) wide.push(`${path} ${problem}`);
  }
  expect(wide.length === 0, wide.join("\n"));
  console.log(`${pages.length} pages fit 360 px`);
} finally {
  await browser.close();
  await server.close();
}
