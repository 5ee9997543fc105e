// Shared pieces of the browser checks: a static server for a built site and a
// headless Debian chromium driven by playwright-core.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { chromium } from "playwright-core";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".xml": "application/xml",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/**
 * Serves `root` on 127.0.0.1 at a free port under the path `prefix` (`/` or `/docs/`), as a
 * static host would: a folder serves its index.html, a miss gets 404.html with status 404.
 */
export async function serveSite(root, prefix = "/") {
  const server = createServer(async (req, res) => {
    try {
      const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
      if (!path.startsWith(prefix)) throw new Error("outside the site");
      let file = join(root, path.slice(prefix.length));
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": TYPES[".html"] });
      res.end(await readFile(join(root, "404.html")).catch(() => "not found"));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${prefix}`, close: () => new Promise((r) => server.close(r)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/**
 * What makes the open page wider than its screen: a sideways scroll, or content cut off at
 * the right edge outside a box that scrolls on its own (code blocks, tables) and fits. The
 * width is the layout's (`clientWidth`): a mobile viewport widens to fit a too-wide page.
 */
export async function widthProblems(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems = [];
    const overflow = document.documentElement.scrollWidth - width;
    if (overflow > 0) problems.push(`is ${overflow}px wider than the screen`);
    const inScroller = (el) => {
      for (let up = el.parentElement; up; up = up.parentElement) {
        const overflowX = getComputedStyle(up).overflowX;
        if (overflowX === "auto" || overflowX === "scroll") return up.getBoundingClientRect().right <= width + 1;
      }
      return false;
    };
    const cut = [...document.querySelectorAll("main *")]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !inScroller(el);
      })
      .slice(0, 3)
      .map((el) => `<${el.tagName.toLowerCase()} class="${el.className}"> ${el.textContent.slice(0, 40)}`);
    if (cut.length > 0) problems.push(`has content past the right edge: ${cut.join("; ")}`);
    return problems;
  });
}

/** Fails the check with `message` unless `condition` holds. */
export function expect(condition, message) {
  if (!condition) throw new Error(message);
}
