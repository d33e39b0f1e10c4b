// Where cargo puts the binaries: asked of cargo itself, so the tests and benchmarks
// follow CARGO_TARGET_DIR and `build.target-dir` instead of assuming `target/`.
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

export const repo = resolve(import.meta.dirname, "..", "..");

/** The path of a release binary (`livery`, or `examples/gen_corpus`) of this repository. */
export function releaseBinary(name = "livery") {
  const metadata = JSON.parse(
    execFileSync("cargo", ["metadata", "--format-version", "1", "--no-deps"], { cwd: repo, encoding: "utf8" }),
  );
  return join(metadata.target_directory, "release", name);
}

// `node tests/browser/cargo.mjs [name]` prints the path (used by the Rust test of this rule).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(releaseBinary(process.argv[2]));
}
