#!/usr/bin/env bash
# Benchmark: generate N pages x P partners, build them, print pages/second and peak memory.
#   bench/run.sh [PAGES] [PARTNERS]        default 1000 pages x 10 partners
#   bench/run.sh 1000 1 && bench/run.sh 1000 10   # what each extra partner costs
# Each configuration is built twice: a cold build into an empty output folder, then a
# rebuild with nothing changed (every file compared, none rewritten), then `livery check`
# (the same stages without rendering or writing).
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-1000}
partners=${2:-10}
work=${BENCH_DIR:-$(mktemp -d /tmp/livery-bench.XXXXXX)}

cargo build --release --quiet
# Cargo says where its binaries are (CARGO_TARGET_DIR, build.target-dir).
target_dir=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
cargo run --release --quiet --example gen_corpus -- "$work/project" "$pages" "$partners"

run() {
  local label=$1 command=(build -q)
  [ "$label" = check ] && command=(check)
  /usr/bin/time -f '%e %M' -o "$work/time" "$target_dir/release/livery" "${command[@]}" --root "$work/project" > /dev/null
  read -r seconds kib < "$work/time"
  awk -v l="$label" -v s="$seconds" -v k="$kib" -v n="$pages" -v p="$partners" 'BEGIN {
    printf "%-8s %6d pages x %3d partners: %6.2f s  %8.0f pages/s  peak %6.0f MiB\n", l, n, p, s, (n * p) / (s > 0 ? s : 0.001), k / 1024 }'
}
run cold
run rebuild
run check
[ -n "${BENCH_DIR:-}" ] || rm -rf "$work"
