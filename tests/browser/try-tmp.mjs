import { serve } from "./harness.mjs";
import { chromium } from "playwright-core";
const dir = process.argv[2], partner = process.argv[3], queries = process.argv.slice(4);
const server = await serve(dir);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-background-networking"] });
const page = await browser.newPage();
const errors = []; page.on("pageerror", e => errors.push(String(e)));
await page.goto(`${server.url}/${partner}/`);
for (const q of queries) {
  await page.evaluate(() => performance.clearResourceTimings());
  const t0 = Date.now();
  await page.fill("#search-input", q);
  await page.waitForFunction(() => document.querySelector("#search-results:not([hidden]) [role=option], #search-results:not([hidden]) .search-empty"), null, {timeout: 10000}).catch(()=>{});
  await page.waitForTimeout(300);
  const ms = Date.now() - t0;
  const bytes = await page.evaluate(() => performance.getEntriesByType("resource").filter(r => r.name.includes("/search")).reduce((n, r) => n + r.encodedBodySize, 0));
  const opts = await page.$$eval("[role=option] a", as => as.map(a => a.getAttribute("href") + " | " + a.innerText.replace(/\n/g, " / ").slice(0, 150)));
  console.log(`== ${q} (${opts.length} options, ${bytes} B, ${ms} ms)`); opts.slice(0, 8).forEach(o => console.log("  " + o));
  console.log("  status:", await page.textContent(".search-status"), "| all:", await page.$eval(".search-all", b => b.textContent).catch(() => "-"));
}
console.log("errors", errors);
await browser.close(); server.close();
