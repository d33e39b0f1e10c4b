// Regenerates docs/screenshots/: each example partner's home page and a runbook,
// on a desktop and on a 390 px phone, in headless Debian Chromium.
//   npm run screenshots
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { buildExample, serve, launch, openPage, partners, repo } from "../tests/browser/harness.mjs";

const shots = [
  ["home", ""],
  ["runbook", "runbooks/backup-restore/"],
];
const devices = [
  ["desktop", { viewport: { width: 1280, height: 800 } }],
  ["mobile", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 }],
];

const out = buildExample();
const server = await serve(out);
const browser = await launch();
const dir = join(repo, "docs", "screenshots");
mkdirSync(dir, { recursive: true });
for (const partner of partners) {
  for (const [device, options] of devices) {
    const page = await openPage(browser, { ...options, colorScheme: "light" });
    for (const [name, path] of shots) {
      await page.goto(`${server.url}/${partner}/${path}`);
      const file = join(dir, `${partner}-${name}-${device}.png`);
      await page.screenshot({ path: file });
      console.log(file);
    }
  }
}
await browser.close();
server.close();
