// Measures `livery serve` on a generated corpus: time from saving one shared page to
// the rebuild finishing, and to the open page showing the new text in Chromium.
//   node bench/live-reload.mjs [PAGES] [PARTNERS]     (default 1000 x 10)
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { launch, openPage, repo } from "../tests/browser/harness.mjs";
import { releaseBinary } from "../tests/browser/cargo.mjs";

const pages = Number(process.argv[2] || 1000);
const partners = Number(process.argv[3] || 10);
const project = join(mkdtempSync(join(tmpdir(), "livery-live-")), "project");
execFileSync("cargo", ["build", "--release", "--quiet", "--example", "gen_corpus"], { cwd: repo, stdio: "inherit" });
execFileSync("cargo", ["build", "--release", "--quiet"], { cwd: repo, stdio: "inherit" });
execFileSync(releaseBinary("examples/gen_corpus"), [project, String(pages), String(partners)], { stdio: "inherit" });

const server = spawn(releaseBinary(), ["serve", "--root", project, "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const lines = createInterface({ input: server.stdout });
const waiters = [];
let url;
lines.on("line", (line) => {
  const match = line.match(/^serving at (\S+)/);
  if (match) url = match[1];
  if (/ built \d+ partner/.test(line)) waiters.splice(0).forEach((done) => done(line));
});
const nextBuild = () => new Promise((done) => waiters.push(done));
while (!url) await new Promise((r) => setTimeout(r, 50));

const browser = await launch();
const page = await openPage(browser);
await page.goto(`${url}p00/section-000/page-00001/`);
await page.waitForTimeout(500);
const file = join(project, "content/section-000/page-00001.md");
const original = readFileSync(file, "utf8");
const runs = [];
for (let i = 0; i < 3; i++) {
  const marker = `Edited for the benchmark, run ${i}`;
  const built = nextBuild();
  const saved = performance.now();
  writeFileSync(file, original.replace("Read it fully before you start.", marker));
  await built;
  const rebuilt = performance.now() - saved;
  await page.waitForFunction((text) => document.body.innerText.includes(text), marker, { timeout: 60000 });
  runs.push([rebuilt, performance.now() - saved]);
  await page.waitForTimeout(300);
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${pages} pages x ${partners} partners: save → rebuild done ${median(runs.map((r) => r[0])).toFixed(0)} ms, save → page reloaded ${median(runs.map((r) => r[1])).toFixed(0)} ms (median of ${runs.length})`);
await browser.close();
server.kill();
