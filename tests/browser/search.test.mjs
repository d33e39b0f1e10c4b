// Search in a real headless Chromium, on a corpus with known answers
// (tests/search-corpus: three partners, one German, pages only some partners carry)
// and on a generated site of 5,000 pages, where one query must stay under 300 KB.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";
import { serve, launch, openPage, closePages, repo, fileWriter } from "./harness.mjs";
import { releaseBinary } from "./cargo.mjs";

/** A project of `pages` runbooks in sections of 1,000 that share most of their words. */
function generate(dir, pages) {
  const write = fileWriter(dir);
  write("livery.toml", 'title = "Generated"\n');
  write("partners/p00/partner.toml", 'name = "Partner Zero"\nbase_url = "https://p0.example"\n');
  write("content/_index.md", '+++\ntitle = "Home"\n+++\nGenerated pages.\n');
  for (let page = 0; page < pages; page++) {
    const section = String(Math.floor(page / 1000)).padStart(3, "0");
    if (page % 1000 === 0) write(`content/section-${section}/_index.md`, `+++\ntitle = "Section ${section}"\n+++\nPages.\n`);
    let text = `+++\ntitle = "Runbook ${page}"\ndescription = "Generated runbook number ${page}."\ntags = ["generated"]\n+++\n`;
    text += "This runbook restores service step by step. Read it fully before you start.\n\n";
    for (let step = 1; step <= 4; step++) {
      text += `## Step ${step}: check component ${step}\n\nCheck the dashboard, then compare with the previous runbook. `;
      text += "Keep notes in the incident channel and record every **command** you ran with its *output*.\n\n";
      text += "- [ ] confirm the alert is real\n- [ ] page the owner\n- [x] open the incident\n\n";
      text += `\`\`\`bash\nkubectl -n prod get pods -l app=service-${step}\nkubectl -n prod rollout status deploy/service-${step}\n\`\`\`\n\n`;
    }
    text += "| Signal | Threshold | Action |\n|---|---|---|\n| p95 latency | 800 ms | scale out |\n| errors | 2% | roll back |\n";
    write(`content/section-${section}/page-${String(page).padStart(5, "0")}.md`, text);
  }
}

afterEach(closePages);

const corpus = join(repo, "tests", "search-corpus");
const answers = JSON.parse(readFileSync(join(corpus, "answers.json"), "utf8"));
const corpusPartners = ["northwind", "southbank", "rheinblick"];
let work, out, server, browser;

before(async () => {
  execFileSync("cargo", ["build", "--release", "--quiet"], { cwd: repo, stdio: "inherit" });
  work = mkdtempSync(join(tmpdir(), "livery-search-"));
  out = join(work, "out");
  execFileSync(releaseBinary(), ["build", "--out", out, "--no-cache", "-q"], { cwd: corpus, stdio: "inherit" });
  server = await serve(out);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Types `query` into the search box and waits for its results: the page-level options. */
async function search(page, query) {
  await page.locator("#search-input").fill(query);
  await page.waitForFunction((q) => document.querySelector("#search-results")?.getAttribute("data-query") === q.trim(), query);
  return page.$$eval("#search-listbox > [role=option]:not(.search-sub) > a", (links) =>
    links.map((a) => ({ href: a.getAttribute("href"), title: a.querySelector(".search-title")?.textContent })),
  );
}

/** A result's href as a site URL and an anchor: `./a/b/#x` → ["a/b/", "x"]. */
function target(href) {
  const [path, anchor] = href.replace(/^\.\//, "").split("#");
  return [path, anchor ?? null];
}

test("every known answer of the search corpus holds, for each partner", async () => {
  const failures = [];
  for (const partner of corpusPartners) {
    const page = await openPage(browser);
    await page.goto(`${server.url}/${partner}/`);
    for (const answer of answers.filter((a) => a.partner === partner)) {
      const results = (await search(page, answer.query)).map((r) => target(r.href));
      const urls = results.map(([url]) => url);
      const said = `${partner}: ${JSON.stringify(answer.query)} (${answer.why}) gave ${JSON.stringify(urls.slice(0, 5))}`;
      if (answer.expect === null) {
        if (results.length) failures.push(`${said}; expected nothing`);
        continue;
      }
      const expected = Array.isArray(answer.expect) ? answer.expect : [answer.expect];
      for (const url of expected) {
        const rank = urls.indexOf(url);
        if (rank < 0 || rank >= answer.within) failures.push(`${said}; expected ${url} within ${answer.within}`);
        else if (answer.anchor && results[rank][1] !== answer.anchor) {
          failures.push(`${said}; expected #${answer.anchor}, got #${results[rank][1]}`);
        }
      }
      for (const url of answer.absent ?? []) {
        if (urls.includes(url)) failures.push(`${said}; ${url} must not be found`);
      }
    }
    assert.deepEqual(page.errors, [], partner);
  }
  assert.deepEqual(failures, []);
});

test("the browser folds, splits and stems words as the index did: every word of a page is a term", () => {
  const context = {};
  vm.runInNewContext(readFileSync(join(repo, "themes/default/static/search.js"), "utf8") + "\nthis.KbSearch = KbSearch;", context);
  const engine = context.KbSearch;
  for (const partner of corpusPartners) {
    const dir = join(out, partner, "search");
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    const terms = new Set();
    for (const file of readdirSync(join(dir, "c"))) {
      Object.keys(JSON.parse(readFileSync(join(dir, "c", file), "utf8"))).forEach((t) => terms.add(t));
    }
    const missing = new Set();
    let checked = 0;
    for (const file of readdirSync(join(dir, "f"))) {
      for (const entry of JSON.parse(readFileSync(join(dir, "f", file), "utf8"))) {
        const text = [entry.t].concat(entry.s.flatMap((s) => [s[1], s[2], s[3]])).join(" ");
        for (const word of engine.words(engine.fold(text))) {
          const term = engine.term(word, manifest.lang);
          if (term === null) continue;
          checked++;
          if (!terms.has(term)) missing.add(`${word} → ${term}`);
        }
      }
    }
    assert.ok(checked > 1000, `${partner}: ${checked} words checked`);
    assert.deepEqual([...missing], [], `${partner}: words the browser stems to no term of the index`);
  }
});

test("a partner's index holds no word of a page it does not carry", () => {
  for (const [partner, word] of [["southbank", "quillfeather"], ["southbank", "marrowstone"], ["rheinblick", "quillfeather"], ["northwind", "wartungsfenst"]]) {
    const dir = join(out, partner, "search");
    for (const sub of ["c", "f"]) {
      for (const file of readdirSync(join(dir, sub))) {
        const text = readFileSync(join(dir, sub, file), "utf8").toLowerCase();
        assert.ok(!text.includes(word), `${partner}/search/${sub}/${file} holds ${word}`);
      }
    }
  }
});

test("search is a combobox: arrows move the active option, Enter follows it, Esc closes, / focuses", async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/northwind/security/`);
  await page.keyboard.press("/");
  const input = page.locator("#search-input");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  assert.equal(await input.getAttribute("role"), "combobox");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  await page.keyboard.type("certificate");
  await page.waitForFunction(() => document.querySelector("#search-results")?.getAttribute("data-query") === "certificate");
  assert.equal(await input.getAttribute("aria-expanded"), "true");
  const listbox = page.locator("#" + (await input.getAttribute("aria-controls")));
  assert.equal(await listbox.getAttribute("role"), "listbox");
  const options = listbox.locator("[role=option]");
  assert.ok((await options.count()) >= 2);
  for (const option of await options.all()) {
    assert.equal(await option.locator("a[href]").count(), 1, "each option holds one link");
  }
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const second = options.nth(1);
  assert.equal(await input.getAttribute("aria-activedescendant"), await second.getAttribute("id"));
  assert.equal(await second.getAttribute("aria-selected"), "true");
  assert.equal(await options.nth(0).getAttribute("aria-selected"), "false");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input", "focus stays in the input");
  await page.keyboard.press("ArrowUp");
  assert.equal(await input.getAttribute("aria-activedescendant"), await options.nth(0).getAttribute("id"));
  await page.keyboard.press("Escape");
  assert.equal(await input.getAttribute("aria-expanded"), "false");
  assert.ok(await page.locator("#search-results").isHidden());
  assert.equal(await input.getAttribute("aria-activedescendant"), null);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  const href = await options.nth(1).locator("a").getAttribute("href");
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => url.href.endsWith(href.replace(/^\.\.\//, "")));
  assert.deepEqual(page.errors, []);
});

test("results are grouped per page, snippets stay in one block, and every result can be shown", async () => {
  const page = await openPage(browser);
  await page.goto(`${server.url}/northwind/`);
  const first = await search(page, "mfa");
  assert.ok(first.length >= 1 && first.length <= 8, `${first.length} results drawn at first`);
  const total = Number((await page.textContent(".search-status")).match(/\d+/)[0]);
  const snippets = await page.locator(".search-snippet").allTextContents();
  assert.ok(snippets.every((s) => !s.includes("\n")), "a snippet is one block");
  const titles = first.map((r) => r.title);
  assert.equal(new Set(titles).size, titles.length, "one group per page");
  if (total > first.length) {
    await page.locator(".search-all").click();
    await page.waitForFunction((n) => document.querySelectorAll("#search-listbox > [role=option]:not(.search-sub)").length === n, total);
    assert.equal(await page.locator(".search-all").count(), 0);
  } else {
    await search(page, "the service");
    const shown = await page.locator("#search-listbox > [role=option]:not(.search-sub)").count();
    const all = Number((await page.textContent(".search-status")).match(/\d+/)[0]);
    assert.ok(all > shown, `a broad query has more results (${all}) than are drawn at first (${shown})`);
    await page.locator(".search-all").click();
    await page.waitForFunction((n) => document.querySelectorAll("#search-listbox > [role=option]:not(.search-sub)").length === n, all);
  }
  assert.deepEqual(page.errors, []);
});

test("search works on a phone: the results fit the screen and a tap opens one", async () => {
  const page = await openPage(browser, { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });
  await page.goto(`${server.url}/southbank/`);
  // On a phone the header holds a search button; the field opens over the header.
  await page.locator(".search-open").tap();
  await search(page, "kubernetes");
  const box = await page.locator("#search-results").boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 390, `the results panel fits: ${JSON.stringify(box)}`);
  const first = page.locator("#search-listbox [role=option] a").first();
  const href = await first.getAttribute("href");
  await first.tap();
  await page.waitForURL((url) => url.href.includes(target(href)[0]));
  assert.deepEqual(page.errors, []);
});

test("on 5,000 pages one query transfers under 300 KB of index and answers quickly", async () => {
  const big = join(work, "big");
  generate(big, 5000);
  const bigOut = join(work, "big-out");
  execFileSync(releaseBinary(), ["build", "--out", bigOut, "--no-cache", "-q"], { cwd: big, stdio: "inherit" });
  const bigServer = await serve(bigOut);
  try {
    const page = await openPage(browser);
    // Words on every one of the 5,000 pages are the costliest query there is. Each
    // query starts from a fresh page: manifest, chunks and fragments all count.
    for (const query of ["runbook 4321", "check dashboard incident", "kubectl rollout status", "dashbord"]) {
      await page.goto(`${bigServer.url}/p00/section-002/page-02345/`);
      await page.evaluate(() => performance.clearResourceTimings());
      const started = Date.now();
      const results = await search(page, query);
      const elapsed = Date.now() - started;
      const bytes = await page.evaluate(() =>
        performance.getEntriesByType("resource").filter((r) => r.name.includes("/search/")).reduce((n, r) => n + r.encodedBodySize, 0),
      );
      console.log(`# 5,000 pages: ${JSON.stringify(query)}: ${results.length} results drawn, ${bytes} bytes, ${elapsed} ms`);
      assert.ok(results.length > 0, query);
      assert.ok(bytes < 300 * 1024, `${query}: ${bytes} bytes`);
    }
    const first = await search(page, "runbook 4321");
    assert.equal(first[0].title, "Runbook 4321");
    assert.deepEqual(page.errors, []);
  } finally {
    bigServer.close();
  }
});
