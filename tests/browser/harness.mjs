// Shared setup for the browser tests: build the example once, serve it on loopback,
// and drive the machine's Debian Chromium (never a downloaded browser).
import { before, after, afterEach } from "node:test";
import { execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, existsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, extname, resolve, sep } from "node:path";
import { chromium } from "playwright-core";

export const repo = resolve(import.meta.dirname, "..", "..");
export const partners = ["acme", "globex", "helios"];

/** A function that writes a file below `dir`, making its folders: for generated projects. */
export function fileWriter(dir) {
  return (path, text) => {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
}

/** Builds the example sites into a fresh folder and returns it. */
export function buildExample() {
  const out = mkdtempSync(join(tmpdir(), "livery-browser-"));
  execFileSync("cargo", ["run", "--release", "--quiet", "--", "build", "--out", out, "-q"], {
    cwd: repo,
    stdio: ["ignore", "inherit", "inherit"],
  });
  return out;
}

/**
 * The hooks of a test file over the example sites: built into a fresh folder, served on
 * loopback, one browser; pages close after each test. The returned object fills in
 * before the first test: `out` (the folder), `url` (the server's) and `browser`.
 */
export function exampleSites() {
  const site = {};
  let server;
  afterEach(closePages);
  before(async () => {
    site.out = buildExample();
    server = await serve(site.out);
    site.url = server.url;
    site.browser = await launch();
  });
  after(async () => {
    await site.browser?.close();
    server?.close();
    if (site.out) rmSync(site.out, { recursive: true, force: true });
  });
  return site;
}

const types = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".xml": "application/xml",
  ".txt": "text/plain",
  ".png": "image/png",
};

/** Serves `dir` on 127.0.0.1 like a static host: `a/` is `a/index.html`, else the partner's 404. */
export async function serve(dir) {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    let file = resolve(dir, "." + path);
    if (!file.startsWith(dir + sep) && file !== dir) {
      response.writeHead(400).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!existsSync(file)) {
      const partner = path.split("/")[1];
      const notFound = join(dir, partner, "404.html");
      response.writeHead(404, { "content-type": types[".html"] });
      response.end(existsSync(notFound) ? readFileSync(notFound) : "not found");
      return;
    }
    response.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
    response.end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

export function chromiumPath() {
  for (const candidate of [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"]) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  throw new Error("Chromium not found: run `bash scripts/test.sh` (it installs Debian's chromium) or set CHROMIUM");
}

export async function launch() {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
}

const openContexts = [];

/** Closes every page opened so far (their connections to the server go with them). */
export async function closePages() {
  while (openContexts.length) await openContexts.pop().close();
}

/** A page that records JavaScript errors and refuses any request that leaves the machine. */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext(options);
  await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
  const page = await context.newPage();
  openContexts.push(context);
  page.errors = [];
  page.external = [];
  page.on("pageerror", (error) => page.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") page.errors.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith("http://127.0.0.1")) page.external.push(request.url());
  });
  return page;
}
