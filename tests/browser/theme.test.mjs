// The default theme's reading experience, measured in Chromium at 390 px (a phone) and
// 1440 px, light and dark: header height, sideways overflow, the navigation drawer, the
// table of contents, text sizes, focus-ring contrast, checklists, code blocks, print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { exampleSites, openPage, partners } from "./harness.mjs";

const phone = { viewport: { width: 390, height: 844 } };
const desktop = { viewport: { width: 1440, height: 900 } };
const site = exampleSites();

/** Every page of a partner's site, as paths below the partner's root. */
function pagesOf(partner) {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === "index.html") found.push(relative(join(site.out, partner), dir).split(sep).join("/"));
    }
  };
  walk(join(site.out, partner));
  return found.map((p) => (p ? p + "/" : ""));
}

/** WCAG contrast of two computed CSS colours (`rgb(...)`), in the page. */
function contrastInPage(page, a, b) {
  return page.evaluate(([a, b]) => {
    const parse = (css) => {
      const probe = document.createElement("canvas").getContext("2d");
      probe.fillStyle = css;
      probe.fillRect(0, 0, 1, 1);
      return Array.from(probe.getImageData(0, 0, 1, 1).data.slice(0, 3));
    };
    const lum = (rgb) => {
      const [r, g, bl] = rgb.map((c) => {
        c /= 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
    };
    const [la, lb] = [lum(parse(a)), lum(parse(b))];
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }, [a, b]);
}

test("on a phone the header is at most 64 px tall, for every partner, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const partner of partners) {
      const page = await openPage(site.browser, { ...phone, colorScheme });
      for (const path of ["", "runbooks/backup-restore/"]) {
        await page.goto(`${site.url}/${partner}/${path}`);
        const height = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().height);
        assert.ok(height <= 64, `${partner}/${path} (${colorScheme}): header is ${height}px tall`);
        // The partner stays recognisable: its logo or name is shown.
        assert.ok(await page.locator(".site-header .brand").isVisible());
      }
      assert.deepEqual(page.errors, []);
    }
  }
});

test("no page of any partner scrolls sideways on a 390 px phone", async () => {
  for (const partner of partners) {
    const page = await openPage(site.browser, phone);
    const paths = pagesOf(partner);
    assert.ok(paths.length > 20, `${partner} has ${paths.length} pages`);
    const wide = [];
    for (const path of paths) {
      await page.goto(`${site.url}/${partner}/${path}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) wide.push(`${path} (${width}px)`);
    }
    assert.deepEqual(wide, [], `${partner}: pages wider than the phone`);
  }
});

test("on a phone the navigation is a drawer: the menu button opens it at the current page, Esc closes it", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/helios/runbooks/database/replication-lag/`);
  const menu = page.locator(".menu-button");
  const current = page.locator(".sidebar nav a[aria-current=page]");
  assert.equal(await current.isVisible(), false, "folded on a phone");
  const before = await page.evaluate(() => document.querySelector(".content h1").getBoundingClientRect().top);
  assert.ok(before < 300, `the navigation takes no room above the page (h1 at ${before}px)`);

  await menu.click();
  assert.equal(await menu.getAttribute("aria-expanded"), "true");
  assert.equal(await current.isVisible(), true, "the current page is shown in the drawer");
  const box = await current.boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 844, `the current page is scrolled into view (${box.y})`);
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-current")), "page", "focus moves into the drawer");
  // The support links live in the drawer on a phone.
  assert.ok((await page.locator(".sidebar .drawer-links a").count()) > 0);
  assert.equal(await page.locator(".sidebar .drawer-links a").first().isVisible(), true);

  await page.keyboard.press("Escape");
  assert.equal(await menu.getAttribute("aria-expanded"), "false");
  assert.equal(await current.isVisible(), false);
  assert.equal(await page.evaluate(() => document.activeElement.className), "menu-button");

  // A tap outside closes it too; a link in it navigates.
  await menu.click();
  await page.mouse.click(380, 600);
  assert.equal(await current.isVisible(), false);
  await menu.click();
  await page.locator(".sidebar nav a", { hasText: "Slow queries" }).click();
  await page.waitForURL(/slow-queries\/$/);
  assert.deepEqual(page.errors, []);
});

test("without JavaScript a phone still navigates: the sidebar is a folding list above the page", async () => {
  const page = await openPage(site.browser, { ...phone, javaScriptEnabled: false });
  await page.goto(`${site.url}/globex/runbooks/database/replication-lag/`);
  assert.equal(await page.locator(".menu-button").isVisible(), false, "no button that could not work");
  // Open at first (the page cannot fold it), with the support links; its summary folds it.
  assert.equal(await page.locator(".sidebar .drawer-links a").first().isVisible(), true, "the support links are reachable");
  const link = page.locator(".sidebar nav a", { hasText: "Slow queries" });
  assert.equal(await link.isVisible(), true);
  await page.locator(".sidebar > summary").click();
  assert.equal(await link.isVisible(), false, "the summary folds the list");
  await page.locator(".sidebar > summary").click();
  await link.click();
  await page.waitForURL(/slow-queries\/$/);
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
});

test("on a phone search opens over the header and its results fit the screen", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/acme/runbooks/`);
  assert.equal(await page.locator("#search-input").isVisible(), false);
  await page.locator(".search-open").click();
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-input");
  await page.keyboard.type("restore");
  await page.locator(".search-results a").first().waitFor();
  const panel = await page.locator(".search-results").boundingBox();
  assert.ok(panel.x >= 0 && panel.x + panel.width <= 390, `results inside the screen: ${JSON.stringify(panel)}`);
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("#search-input").isVisible(), false, "Esc folds the search field away");
  assert.equal(await page.evaluate(() => document.activeElement.className), "search-open");
  assert.deepEqual(page.errors, []);
});

test("'On this page' folds above the page below 1200 px and marks the section being read on a desktop", async () => {
  const url = `${site.url}/acme/runbooks/backup-restore/`;
  for (const viewport of [{ width: 390, height: 844 }, { width: 1024, height: 800 }]) {
    const page = await openPage(site.browser, { viewport });
    await page.goto(url);
    const toc = page.locator(".toc-details");
    assert.equal(await toc.isVisible(), true, `${viewport.width}px: the table of contents is there`);
    assert.equal(await toc.getAttribute("open"), null, `${viewport.width}px: folded`);
    const tocTop = (await toc.boundingBox()).y;
    const proseTop = (await page.locator(".prose").boundingBox()).y;
    assert.ok(tocTop < proseTop, `${viewport.width}px: above the text`);
    await page.locator(".toc-details > summary").click();
    const link = page.locator(".toc a", { hasText: "Verify the restore" });
    assert.equal(await link.isVisible(), true);
    await link.click();
    await page.waitForURL(/#verify$/);
    assert.equal(await toc.getAttribute("open"), null, "following an entry folds it again");
    const headingTop = await page.evaluate(() => document.getElementById("verify").getBoundingClientRect().top);
    const headerBottom = await page.evaluate(() => document.querySelector(".site-header").getBoundingClientRect().bottom);
    assert.ok(headingTop >= headerBottom, `the heading lands below the sticky header (${headingTop} < ${headerBottom})`);
  }

  const page = await openPage(site.browser, desktop);
  await page.goto(url);
  assert.equal(await page.locator(".toc-details").getAttribute("open"), "", "open beside the page");
  for (const [id, title] of [["verify", "Verify the restore"], ["step-2-check-that-a-backup-covers-it", "Step 2: Check that a backup covers it"]]) {
    await page.evaluate((id) => window.scrollTo(0, document.getElementById(id).getBoundingClientRect().top + window.scrollY - 90), id);
    await page.waitForFunction((title) => document.querySelector(".toc a[aria-current]")?.textContent === title, title);
    assert.equal(await page.locator(".toc a[aria-current]").count(), 1);
  }
  assert.deepEqual(page.errors, []);
});

test("code is at least 0.875 of body text, and h4 to h6 are never smaller than it", async () => {
  for (const [name, options] of [["phone", phone], ["desktop", desktop]]) {
    const page = await openPage(site.browser, options);
    await page.goto(`${site.url}/globex/runbooks/backup-restore/`);
    const sizes = await page.evaluate(() => {
      const size = (el) => parseFloat(getComputedStyle(el).fontSize);
      const prose = document.querySelector(".prose");
      const probes = ["h4", "h5", "h6"].map((tag) => {
        const el = document.createElement(tag);
        el.textContent = "Probe";
        prose.appendChild(el);
        return [tag, size(el)];
      });
      return {
        body: size(document.querySelector(".prose p")),
        block: size(document.querySelector(".prose pre code")),
        inline: size(document.querySelector(".prose :not(pre) > code")),
        headings: probes,
      };
    });
    assert.ok(sizes.block / sizes.body >= 0.875, `${name}: block code ${sizes.block}px against body ${sizes.body}px`);
    assert.ok(sizes.inline / sizes.body >= 0.875, `${name}: inline code ${sizes.inline}px against body ${sizes.body}px`);
    for (const [tag, px] of sizes.headings) assert.ok(px >= sizes.body, `${name}: ${tag} is ${px}px, body ${sizes.body}px`);
  }
});

test("focus rings reach 3:1 against what is behind them for every partner, light and dark", async () => {
  for (const colorScheme of ["light", "dark"]) {
    for (const partner of partners) {
      const page = await openPage(site.browser, { ...desktop, colorScheme });
      await page.goto(`${site.url}/${partner}/runbooks/backup-restore/`);
      // Keyboard focus, as a keyboard user gets it: the skip link, the announcement,
      // then the header's controls (on a brand-coloured or dark bar for some partners).
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press("Tab");
        const { outline, width, background, what } = await page.evaluate(() => {
          const el = document.activeElement;
          const style = getComputedStyle(el);
          // The ring is drawn outside the element: measure it against what is behind it.
          let behind = el.parentElement;
          while (behind && getComputedStyle(behind).backgroundColor === "rgba(0, 0, 0, 0)") behind = behind.parentElement;
          return {
            outline: style.outlineColor,
            width: parseFloat(style.outlineWidth),
            background: getComputedStyle(behind || document.body).backgroundColor,
            what: el.className || el.tagName,
          };
        });
        assert.ok(width >= 2, `${partner} (${colorScheme}) ${what}: outline ${width}px`);
        const ratio = await contrastInPage(page, outline, background);
        assert.ok(ratio >= 3, `${partner} (${colorScheme}) ${what}: focus ring ${outline} on ${background} is ${ratio.toFixed(2)}:1`);
      }
    }
  }
});

test("a checklist box is named by its item, a tap on the text ticks it, and progress is counted", async () => {
  const page = await openPage(site.browser, phone);
  await page.goto(`${site.url}/acme/runbooks/release-rollback/`);
  const boxes = page.locator(".prose input.task");
  const total = await boxes.count();
  assert.ok(total >= 5);
  const named = page.getByRole("checkbox", { name: /Error rate and latency back to the level before the deploy/ });
  assert.equal(await named.count(), 1, "the box's accessible name is its item's text");
  assert.equal(await page.getByRole("checkbox", { name: "to do" }).count(), 0);
  const progress = page.locator(".checklist-progress");
  assert.equal(await progress.textContent(), `0 of ${total} done`);
  await page.locator(".prose .task-label", { hasText: "Error rate and latency" }).click({ position: { x: 120, y: 8 } });
  assert.equal(await named.isChecked(), true, "tapping the text ticks the box");
  assert.equal(await progress.textContent(), `1 of ${total} done`);
  // Progress and reset come after the checklist, not above the introduction.
  const barTop = (await page.locator(".checklist-bar").boundingBox()).y;
  const lastBox = (await boxes.last().boundingBox()).y;
  assert.ok(barTop > lastBox, "the bar follows the last item");
  await page.locator(".checklist-reset").click();
  assert.equal(await progress.textContent(), `0 of ${total} done`);
  assert.deepEqual(page.errors, []);
});

test("a code block shows its language and a copy button above the code, and 'Copied' is announced", async () => {
  const page = await openPage(site.browser, { ...phone, permissions: ["clipboard-read", "clipboard-write"] });
  await page.goto(`${site.url}/acme/runbooks/backup-restore/`);
  const block = page.locator(".code-block").first();
  const button = (await block.locator(".copy-button").boundingBox());
  const code = (await block.locator("pre").boundingBox());
  assert.ok(button.y + button.height <= code.y, "the button does not cover the code");
  assert.notEqual((await block.locator(".code-lang").textContent()).trim(), "");
  await block.locator(".copy-button").click();
  await page.waitForFunction(() => document.getElementById("announcer").textContent === "Copied");
  assert.deepEqual(page.errors, []);
});

test("print is light, starts with the partner's name, and keeps code blocks whole", async () => {
  const page = await openPage(site.browser, { ...desktop, colorScheme: "dark" });
  await page.goto(`${site.url}/helios/runbooks/backup-restore/`);
  await page.emulateMedia({ media: "print", colorScheme: "dark" });
  const printed = await page.evaluate(() => ({
    background: getComputedStyle(document.body).backgroundColor,
    text: getComputedStyle(document.body).color,
    brand: getComputedStyle(document.querySelector(".brand-name")).display,
    sidebar: getComputedStyle(document.querySelector(".sidebar")).display,
    breakInside: getComputedStyle(document.querySelector("pre")).breakInside,
  }));
  assert.equal(printed.background, "rgb(255, 255, 255)");
  assert.ok((await contrastInPage(page, printed.text, printed.background)) >= 7, `text ${printed.text}`);
  assert.notEqual(printed.brand, "none", "the partner's name is printed");
  assert.equal(printed.sidebar, "none");
  assert.equal(printed.breakInside, "avoid");
  const pdf = await page.pdf({ format: "A4" });
  assert.ok(pdf.length > 10000);
});
