// The example sites in a real headless Chromium: search, checklists, dark mode,
// copy buttons, JavaScript errors, accessibility (axe-core) and
// HTML validity (the W3C checker, vnu-jar).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { exampleSites, openPage, partners } from "./harness.mjs";

const require = createRequire(import.meta.url);
const site = exampleSites();

test("search finds a known page and opens it from the keyboard", async () => {
  const page = await openPage(site.browser);
  await page.goto(`${site.url}/acme/`);
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("restore backup");
  const first = page.locator(".search-results a").first();
  await first.waitFor();
  assert.match(await first.locator(".search-title").textContent(), /Backup and restore/);
  assert.ok((await page.locator(".search-results mark").count()) > 0, "matches are highlighted in the snippet");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/acme\/runbooks\/backup-restore\//);
  assert.deepEqual(page.errors, []);
});

test("search finds a command written only in a code block and links to its heading", async () => {
  const page = await openPage(site.browser);
  await page.goto(`${site.url}/acme/`);
  await page.locator("#search-input").fill("pg_wal_replay_resume");
  const first = page.locator(".search-results a").first();
  await first.waitFor();
  assert.match(await first.locator(".search-title").textContent(), /Backup and restore/);
  assert.equal(await first.locator(".search-heading").textContent(), "Verify the restore");
  assert.match(await first.getAttribute("href"), /runbooks\/backup-restore\/#verify$/);
  assert.match(await first.locator(".search-snippet").textContent(), /pg_wal_replay_resume/);
  assert.deepEqual(page.errors, []);
});

test("search only knows the partner's own pages", async () => {
  const page = await openPage(site.browser);
  await page.goto(`${site.url}/helios/`);
  await page.locator("#search-input").fill("EDI trading partner");
  await page.locator(".search-empty, .search-results a").first().waitFor();
  const titles = await page.locator(".search-results .search-title").allTextContents();
  assert.ok(!titles.includes("EDI for wholesale merchants"), `helios does not carry the EDI page: ${titles}`);
  await page.goto(`${site.url}/acme/`);
  await page.locator("#search-input").fill("EDI trading partner");
  await page.locator(".search-results a").first().waitFor();
  assert.equal(await page.locator(".search-results .search-title").first().textContent(), "EDI for wholesale merchants");
});

test("a checked box survives a reload, per partner, until the checklist is reset", async () => {
  const page = await openPage(site.browser);
  const url = `${site.url}/acme/runbooks/release-rollback/`;
  await page.goto(url);
  const box = page.locator(".prose input.task").first();
  assert.equal(await box.isDisabled(), false);
  assert.equal(await box.isChecked(), false);
  await box.check();
  await page.reload();
  assert.equal(await page.locator(".prose input.task").first().isChecked(), true);

  await page.goto(`${site.url}/globex/runbooks/release-rollback/`);
  assert.equal(await page.locator(".prose input.task").first().isChecked(), false, "another partner's checklist is separate");

  await page.goto(url);
  await page.locator(".checklist-reset").click();
  await page.reload();
  assert.equal(await page.locator(".prose input.task").first().isChecked(), false);
  assert.deepEqual(page.errors, []);
});

test("the dark-mode toggle is remembered", async () => {
  const page = await openPage(site.browser, { colorScheme: "light" });
  await page.goto(`${site.url}/globex/`);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.locator(".theme-toggle").click();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  await page.reload();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.notEqual(await background(), light);
  assert.equal(await page.getAttribute(".theme-toggle", "aria-pressed"), "true");
});

test("code blocks have a working copy button", async () => {
  const page = await openPage(site.browser, { permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(`${site.url}/acme/runbooks/backup-restore/`);
  const button = page.locator(".code-block .copy-button").first();
  await button.click();
  // The clipboard write is asynchronous; the label says so once it is done.
  await page.locator(".code-block .copy-button", { hasText: "Copied" }).first().waitFor({ timeout: 5000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const code = await page.locator(".code-block pre code").first().innerText();
  assert.equal(copied, code);
});

test("no page logs a JavaScript error or asks for anything off the machine", async () => {
  // Not the 404 page: its links start at the partner's base_url path, which this test
  // server (every partner under /<id>/) does not reproduce.
  const paths = ["", "playbooks/", "playbooks/incident-response/", "runbooks/database/database-failover/", "onboarding/training-plan/", "security/access-review/"];
  for (const partner of partners) {
    const page = await openPage(site.browser);
    for (const path of paths) {
      await page.goto(`${site.url}/${partner}/${path}`);
      await page.waitForLoadState("load");
    }
    assert.deepEqual(page.errors, [], `${partner}: JavaScript errors`);
    assert.deepEqual(page.external, [], `${partner}: requests leaving the machine`);
  }
});

test("pages have no serious or critical accessibility violations, light and dark", async () => {
  const axe = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
  const paths = ["", "runbooks/", "runbooks/backup-restore/", "playbooks/incident-response/", "404.html"];
  for (const colorScheme of ["light", "dark"]) {
    for (const partner of partners) {
      const page = await openPage(site.browser, { colorScheme });
      for (const path of paths) {
        await page.goto(`${site.url}/${partner}/${path}`);
        await page.addScriptTag({ content: axe });
        const violations = await page.evaluate(async () => {
          const result = await window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "best-practice"] });
          return result.violations
            .filter((v) => v.impact === "serious" || v.impact === "critical")
            .map((v) => `${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        });
        assert.deepEqual(violations, [], `${partner}/${path} (${colorScheme})`);
      }
    }
  }
});

test("every page is valid HTML (W3C Nu checker)", () => {
  const vnu = require("vnu-jar");
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".html")) files.push(path);
    }
  };
  walk(site.out);
  assert.ok(files.length > 100, `found ${files.length} pages`);
  let report;
  try {
    execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], { stdio: "pipe" });
    report = { messages: [] };
  } catch (error) {
    report = JSON.parse(String(error.stderr));
  }
  const errors = report.messages.filter((m) => m.type === "error").map((m) => `${m.url}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(errors, []);
});
