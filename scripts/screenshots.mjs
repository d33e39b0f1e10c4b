// Regenerates docs/screenshots/: each example partner's home page and a runbook on a
// desktop and on a 390 px phone, the runbook in dark mode and as printed, globex's
// release 17 in German on a phone, and one picture of the three home pages side by side. Headless Debian Chromium.
//   npm run screenshots
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildExample, serve, launch, openPage, partners, repo } from "../tests/browser/harness.mjs";

const runbook = "runbooks/backup-restore/";
const desktop = { viewport: { width: 1280, height: 800 } };
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
// name, path, browser options, media
const shots = [
  ["home-desktop", "", desktop, "screen", "light"],
  ["runbook-desktop", runbook, desktop, "screen", "light"],
  ["home-mobile", "", phone, "screen", "light"],
  ["runbook-mobile", runbook, phone, "screen", "light"],
  ["runbook-dark", runbook, desktop, "screen", "dark"],
  ["runbook-mobile-dark", runbook, phone, "screen", "dark"],
  ["runbook-print", runbook, { viewport: { width: 794, height: 1123 } }, "print", "dark"],
];

const out = buildExample();
const server = await serve(out);
const browser = await launch();
const dir = join(repo, "docs", "screenshots");
mkdirSync(dir, { recursive: true });
for (const partner of partners) {
  for (const [name, path, options, media, colorScheme] of shots) {
    const page = await openPage(browser, { ...options, colorScheme });
    await page.emulateMedia({ media });
    await page.goto(`${server.url}/${partner}/${path}`);
    const file = join(dir, `${partner}-${name}.png`);
    await page.screenshot({ path: file });
    console.log(file);
    await page.close();
  }
}

// An older release in German on a phone: both switchers and release 17's notice.
{
  const page = await openPage(browser, { ...phone, colorScheme: "light" });
  await page.goto(`${server.url}/globex/de/17/runbooks/search-reindex/`);
  const file = join(dir, "globex-release17-mobile.png");
  await page.screenshot({ path: file });
  console.log(file);
  await page.close();
}

// The three home pages next to each other, scaled down: what "one source, many brands" looks like.
const page = await openPage(browser, { viewport: { width: 1920, height: 440 } });
const images = partners
  .map((p) => `data:image/png;base64,${readFileSync(join(dir, `${p}-home-desktop.png`)).toString("base64")}`)
  .map((src) => `<img src="${src}" alt="">`)
  .join("");
await page.setContent(
  `<style>body{margin:0;padding:12px;display:flex;gap:12px;background:#d9dce3}img{width:624px;height:390px;border-radius:6px;box-shadow:0 2px 8px #0003}</style>${images}`,
);
const file = join(dir, "side-by-side.png");
await page.screenshot({ path: file, clip: { x: 0, y: 0, width: 1920, height: 414 } });
console.log(file);
await browser.close();
server.close();
