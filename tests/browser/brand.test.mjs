// Brands that look like themselves, in Chromium: the three example partners differ in
// header, corners, type and home layout; the announcement, the hero search, the
// feedback widget, sidebar groups and the colour-scheme toggle work as a reader uses them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exampleSites, fileWriter, openPage, partners, serve } from "./harness.mjs";
import { releaseBinary } from "./cargo.mjs";

const phone = { viewport: { width: 390, height: 844 } };
const desktop = { viewport: { width: 1440, height: 900 } };
const site = exampleSites();

test("the three partners differ at a glance: header bar, corners, type and home layout", async () => {
  const looks = {};
  for (const partner of partners) {
    const page = await openPage(site.browser, { ...desktop, colorScheme: "light" });
    await page.goto(`${site.url}/${partner}/`);
    looks[partner] = await page.evaluate(() => {
      const header = getComputedStyle(document.querySelector(".site-header"));
      return {
        header: header.backgroundColor,
        headerText: getComputedStyle(document.querySelector(".site-header .brand")).color,
        radius: getComputedStyle(document.documentElement).getPropertyValue("--radius").trim(),
        font: getComputedStyle(document.body).fontFamily,
        home: document.querySelector(".hero-search") ? "hero" : document.querySelector(".cards") ? "cards" : "other",
        navPadding: getComputedStyle(document.querySelector(".nav-list a")).paddingTop,
      };
    });
    assert.deepEqual(page.errors, []);
  }
  const [a, b, c] = partners.map((p) => looks[p]);
  for (const key of ["header", "radius", "font", "navPadding"]) {
    assert.equal(new Set([a[key], b[key], c[key]]).size, 3, `${key} should differ: ${JSON.stringify(looks)}`);
  }
  assert.deepEqual([a.home, b.home, c.home], ["hero", "cards", "hero"]);
});

test("a callout's colour comes from its partner's brand: the same note differs per partner", async () => {
  const colours = [];
  for (const partner of partners) {
    const page = await openPage(site.browser, desktop);
    await page.goto(`${site.url}/${partner}/`);
    colours.push(await page.evaluate(() => {
      const probe = document.createElement("div");
      probe.className = "callout callout-important";
      document.querySelector(".content").append(probe);
      return getComputedStyle(probe).borderLeftColor;
    }));
  }
  assert.equal(new Set(colours).size, 3, colours.join(" "));
});

test("the announcement can be dismissed and stays dismissed, without a flash on the next page", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/acme/runbooks/backup-restore/`);
  const banner = page.locator(".announcement");
  assert.ok(await banner.isVisible());
  assert.match(await banner.innerText(), /Planned maintenance/);
  await page.locator(".announcement-close").click();
  assert.ok(!(await banner.isVisible()));
  await page.goto(`${site.url}/acme/`);
  // Hidden by the head script before the first paint, so the page does not jump.
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains("announcement-dismissed")), true);
  assert.ok(!(await page.locator(".announcement").isVisible()));
  // Header still at most 64 px on a phone with the banner gone.
  const height = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
  assert.ok(height <= 64, `header ${height}px`);
  assert.deepEqual(page.errors, []);
});

test("the hero's search field opens search, on a desktop and on a phone", async () => {
  for (const options of [desktop, phone]) {
    const page = await openPage(site.browser, options);
    await page.goto(`${site.url}/acme/`);
    await page.locator(".hero-search-button").click();
    assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
    await page.keyboard.type("rollback");
    await page.locator(".search-results a").first().waitFor();
    assert.match(await page.locator(".search-results a").first().innerText(), /rollback/i);
    assert.deepEqual(page.errors, []);
  }
});

test("'Was this page helpful?' posts one answer to the partner's address and thanks the reader", async () => {
  const page = await openPage(site.browser, desktop);
  const posts = [];
  await page.route("https://feedback.acme.example/**", (route) => {
    posts.push({ method: route.request().method(), body: route.request().postData() });
    route.fulfill({ status: 204 });
  });
  await page.goto(`${site.url}/acme/runbooks/backup-restore/`);
  await page.locator(".feedback button", { hasText: "Yes" }).click();
  await page.locator(".feedback-status", { hasText: "Thank you" }).waitFor();
  await page.waitForTimeout(200);
  assert.equal(posts.length, 1);
  assert.equal(posts[0].method, "POST");
  assert.deepEqual(JSON.parse(posts[0].body), { page: "/acme/runbooks/backup-restore/", helpful: true });
  assert.equal(await page.locator(".feedback button").first().isDisabled(), true);
  // Partners without a feedback address show no widget, and send nothing.
  await page.goto(`${site.url}/globex/runbooks/backup-restore/`);
  assert.equal(await page.locator(".feedback").count(), 0);
});

test("the open section in the sidebar folds away under its toggle", async () => {
  const page = await openPage(site.browser, desktop);
  await page.goto(`${site.url}/helios/runbooks/backup-restore/`);
  const toggle = page.locator(".sidebar .nav-section.is-open > .nav-toggle").first();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.equal(await toggle.getAttribute("aria-label"), "Pages in Runbooks");
  const current = page.locator(".sidebar a[aria-current=page]");
  assert.ok(await current.isVisible());
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.ok(!(await current.isVisible()));
  await toggle.click();
  assert.ok(await current.isVisible());
  assert.deepEqual(page.errors, []);
});

test("the colour-scheme toggle goes back to following the system", async () => {
  const page = await openPage(site.browser, { ...desktop, colorScheme: "dark" });
  await page.goto(`${site.url}/globex/`);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await background();
  const toggle = page.locator(".theme-toggle");
  assert.match(await toggle.getAttribute("title"), /follows the system/);
  await toggle.click();
  assert.equal(await page.getAttribute("html", "data-theme"), "light");
  assert.notEqual(await background(), dark);
  // Back to the system's own scheme: nothing forced, nothing stored.
  await toggle.click();
  assert.equal(await page.getAttribute("html", "data-theme"), null);
  assert.equal(await page.evaluate(() => localStorage.getItem("kb-theme")), null);
  assert.equal(await background(), dark);
  // And it follows the system when that changes.
  await page.emulateMedia({ colorScheme: "light" });
  assert.notEqual(await background(), dark);
  await page.waitForFunction(() => document.querySelector(".theme-toggle").getAttribute("aria-pressed") === "false");
  assert.deepEqual(page.errors, []);
});

test("the breadcrumb trail starts at the partner's help center", async () => {
  for (const [partner, name] of [["acme", "Acme Cloud"], ["globex", "Globex Commerce Services"]]) {
    const page = await openPage(site.browser, desktop);
    await page.goto(`${site.url}/${partner}/runbooks/database/database-failover/`);
    const crumbs = await page.locator(".breadcrumbs a").allInnerTexts();
    assert.equal(crumbs[0], name);
  }
});

test("a long section listing filters its pages as the reader types", async () => {
  // The example's sections are short: a project with one section of 30 pages.
  const work = mkdtempSync(join(tmpdir(), "livery-filter-"));
  const write = fileWriter(work);
  write("livery.toml", 'title = "Filter"\n');
  write("partners/solo/partner.toml", 'name = "Solo"\nbase_url = "https://solo.example"\n');
  write("content/_index.md", '+++\ntitle = "Home"\n+++\n');
  write("content/sheets/_index.md", '+++\ntitle = "Cheat sheets"\n+++\n');
  const topics = ["Password storage", "Session management", "Cross-site scripting", "SQL injection", "Logging"];
  for (let i = 0; i < 30; i++) {
    const topic = topics[i % topics.length];
    write(`content/sheets/sheet-${i}.md`, `+++\ntitle = "${topic} ${i}"\ndescription = "About ${topic.toLowerCase()}, part ${i}."\n+++\nText.\n`);
  }
  const out = join(work, "out");
  execFileSync(releaseBinary(), ["build", "--out", out, "-q"], { cwd: work, stdio: "inherit" });
  const server = await serve(out);
  try {
    const page = await openPage(site.browser, phone);
    await page.goto(`${server.url}/solo/sheets/`);
    const filter = page.locator(".listing-filter");
    assert.ok(await filter.isVisible());
    assert.equal(await page.locator(".cards .card:visible").count(), 30);
    await filter.fill("sql inj");
    assert.equal(await page.locator(".cards .card:visible").count(), 6);
    await filter.fill("sesion");
    assert.equal(await page.locator(".cards .card:visible").count(), 0);
    assert.match(await page.locator(".filter-empty").innerText(), /No pages match/);
    await filter.fill("");
    assert.equal(await page.locator(".cards .card:visible").count(), 30);
    assert.deepEqual(page.errors, []);
  } finally {
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});

test("the language switcher lands on the same page in the other language, and back", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/globex/playbooks/incident-response/`);
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.locator(".language-switcher a", { hasText: "Deutsch" }).click();
  await page.waitForURL(/\/globex\/de\/playbooks\/incident-response\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  assert.equal(await page.locator("h1").innerText(), "Incident Response");
  assert.match(await page.locator(".prose p").first().innerText(), /Dieses Playbook/);
  // German search finds German words.
  await page.locator(".search-open").click();
  await page.keyboard.type("Schweregrade");
  await page.locator(".search-results a").first().waitFor();
  assert.match(await page.locator(".search-results a").first().innerText(), /Incident Response/);
  await page.keyboard.press("Escape");
  // An untranslated page says so, in German, and shows the English text.
  await page.goto(`${site.url}/globex/de/security/pci-dss-scope/`);
  assert.match(await page.locator(".translation-notice").innerText(), /noch nicht übersetzt/);
  assert.equal(await page.getAttribute("main", "lang"), "en");
  await page.locator(".language-switcher a", { hasText: "English" }).click();
  await page.waitForURL(/\/globex\/security\/pci-dss-scope\/$/);
  assert.equal(await page.locator(".translation-notice").count(), 0);
  assert.deepEqual(page.errors, []);
});

test("the version switcher keeps the page and the language; an older release says so and leads back", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/globex/de/runbooks/search-reindex/`);
  assert.equal(await page.locator(".version-notice").count(), 0);
  await page.locator(".version-switcher a", { hasText: "17" }).click();
  await page.waitForURL(/\/globex\/de\/17\/runbooks\/search-reindex\/$/);
  assert.equal(await page.getAttribute("html", "lang"), "de");
  assert.match(await page.locator(".prose").innerText(), /--in-place/);
  // The notice is visible on a phone, above the page's heading.
  const notice = page.locator(".version-notice");
  assert.match(await notice.innerText(), /Version 17/);
  const [noticeBox, headingBox] = [await notice.boundingBox(), await page.locator("h1").boundingBox()];
  assert.ok(noticeBox.y < headingBox.y && noticeBox.x + noticeBox.width <= 390, JSON.stringify(noticeBox));
  // Release 17's search finds release 17's procedure only.
  await page.locator(".search-open").click();
  await page.keyboard.type("degraded");
  await page.locator(".search-results a").first().waitFor();
  const found = await page.locator(".search-results a").first().evaluate((a) => a.href);
  assert.match(found, /\/globex\/de\/17\/runbooks\/search-reindex\//);
  await page.keyboard.press("Escape");
  // The language switcher stays in release 17.
  await page.locator(".language-switcher a", { hasText: "English" }).click();
  await page.waitForURL(/\/globex\/17\/runbooks\/search-reindex\/$/);
  // A page release 17 lacks: the switcher leads to release 17's home.
  await page.goto(`${site.url}/globex/onboarding/wholesale-edi/`);
  await page.locator(".version-switcher a", { hasText: "17" }).click();
  await page.waitForURL(/\/globex\/17\/$/);
  // The notice leads back to release 18.
  await page.goto(`${site.url}/globex/17/runbooks/search-reindex/`);
  await page.locator(".version-notice a").click();
  await page.waitForURL(/\/globex\/runbooks\/search-reindex\/$/);
  assert.equal(await page.locator(".version-notice").count(), 0);
  assert.deepEqual(page.errors, []);
});
