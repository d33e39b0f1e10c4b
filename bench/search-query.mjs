// What one search query costs a reader, measured in headless Chromium on a built site:
// the bytes of index fetched (manifest, chunks, fragments) and the time from typing to
// results drawn. Each query starts from a freshly loaded page, so nothing is cached.
//
//   node bench/search-query.mjs OUT_DIR PARTNER PAGE_PATH QUERY...
//   node bench/search-query.mjs public acme runbooks/ "restore backup" pasword
import { serve, launch, openPage, closePages } from "../tests/browser/harness.mjs";

const [dir, partner, path, ...queries] = process.argv.slice(2);
if (!dir || !partner || path === undefined || !queries.length) {
  console.error("usage: node bench/search-query.mjs OUT_DIR PARTNER PAGE_PATH QUERY...");
  process.exit(2);
}
const server = await serve(dir);
const browser = await launch();
try {
  console.log("| query | pages found | pages drawn | bytes fetched | of which fragments | ms to results | first three |");
  console.log("|---|---|---|---|---|---|---|");
  for (const query of queries) {
    const page = await openPage(browser);
    await page.goto(`${server.url}/${partner}/${path}`);
    await page.evaluate(() => performance.clearResourceTimings());
    const started = Date.now();
    await page.locator("#search-input").fill(query);
    await page.waitForFunction((q) => document.querySelector("#search-results")?.getAttribute("data-query") === q.trim(), query);
    const elapsed = Date.now() - started;
    const { all, fragments } = await page.evaluate(() => {
      const entries = performance.getEntriesByType("resource").filter((r) => r.name.includes("/search/"));
      const sum = (list) => list.reduce((n, r) => n + r.encodedBodySize, 0);
      return { all: sum(entries), fragments: sum(entries.filter((r) => r.name.includes("/search/f/"))) };
    });
    const found = (await page.textContent(".search-status")).match(/\d+/)?.[0] ?? "0";
    const drawn = await page.locator("#search-listbox > [role=option]:not(.search-sub)").count();
    const top = await page.locator("#search-listbox > [role=option]:not(.search-sub) .search-title").allTextContents();
    console.log(`| ${query} | ${found} | ${drawn} | ${all} | ${fragments} | ${elapsed} | ${top.slice(0, 3).join("; ")} |`);
    if (page.errors.length) console.log(`errors: ${page.errors.join("; ")}`);
    await closePages();
  }
} finally {
  await browser.close();
  server.close();
}
