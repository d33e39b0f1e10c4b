#!/usr/bin/env bash
# What languages and versions cost: PAGES pages x PARTNERS partners built as one site
# each, in 2 languages (half the pages translated), in 2 versions (the older one a
# snapshot with a tenth of its pages changed), and in 2 languages x 2 versions; beside
# them, PARTNERS x 4 one-site partners (the same number of sites) and Hugo on one copy
# of the pages, in the same run.
#   bench/matrix.sh [PAGES] [PARTNERS] [SHAPE]     default 1000 10 small (or big)
# Cold builds without the build cache, into tmpfs when there is one; wall seconds from
# bash's clock, peak memory and output size. RUNS=3 keeps the fastest of three.
set -euo pipefail
cd "$(dirname "$0")/.."
pages=${1:-1000}
partners=${2:-10}
shape=${3:-small}
runs=${RUNS:-1}
tmp=${BENCH_TMP:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)}
work=$(mktemp -d "$tmp/livery-matrix.XXXXXX")
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
target_dir=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
livery=$target_dir/release/livery
gen=$target_dir/release/examples/gen_corpus

# The projects. `sites`: PARTNERS x 4 one-site partners.
"$gen" "$work/one" "$pages" "$partners" "$shape" > /dev/null
"$gen" "$work/sites" "$pages" $((partners * 4)) "$shape" > /dev/null
add_languages() {
  sed -i 's/^base_url = .*/&\nlanguages = ["en", "de"]/' "$1"/partners/*/partner.toml
  # Every other page translated: its title and first words in German.
  find "$1/content" -name 'page-*[02468].md' | while read -r page; do
    sed -e 's/^title = "\(.*\)"$/title = "\1 (Deutsch)"/' -e '0,/^[A-Z]/s/^[A-Z]/Auf Deutsch: &/' \
      "$page" > "${page%.md}.de.md"
  done
}
add_versions() {
  printf '\n[versions]\nlist = ["2", "1"]\n' >> "$1/livery.toml"
  mkdir -p "$1/versions/1"
  cp -r "$1/content" "$1/versions/1/content"
  # A tenth of the pages differ between the versions.
  find "$1/versions/1/content" -name 'page-*0.md' -exec sed -i '$a\\nIn version 1 this step is done by hand.' {} +
}
cp -r "$work/one" "$work/languages" && add_languages "$work/languages"
cp -r "$work/one" "$work/versions" && add_versions "$work/versions"
cp -r "$work/languages" "$work/matrix" && add_versions "$work/matrix"

# measure NAME CMD... : fastest of RUNS runs: "seconds peak-MiB".
measure() {
  local name=$1 best="" peak=0
  shift
  for ((run = 0; run < runs; run++)); do
    rm -rf "$work/out-$name"
    local start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || {
      echo "failed: $*" >&2
      cat "$work/stderr" >&2
      exit 1
    }
    local seconds
    seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
    peak=$(awk -v p="$peak" -v k="$(tail -1 "$work/time")" 'BEGIN { m = k / 1024; printf "%.0f", (m > p ? m : p) }')
    best=$(awk -v a="$best" -v b="$seconds" 'BEGIN { print (a == "" || b < a) ? b : a }')
  done
  echo "$best $peak"
}

printf '%s pages x %s partners, %s sections; livery %s; %s\n' "$pages" "$partners" "$shape" \
  "$(git rev-parse --short HEAD)" "$(command -v hugo > /dev/null && hugo version | cut -d' ' -f2 || echo 'no hugo')"
printf '| project | sites | pages built | build | peak memory | output |\n|---|---|---|---|---|---|\n'
for name in one languages versions matrix sites; do
  read -r seconds peak < <(measure "$name" "$livery" build --root "$work/$name" --out "$work/out-$name" -q --no-cache)
  built=$(find "$work/out-$name" -name index.html | wc -l)
  sites=$(find "$work/out-$name" -name sitemap.xml | wc -l)
  size=$(du -sm "$work/out-$name" | cut -f1)
  printf '| %s | %d | %d | %.2f s | %d MiB | %d MiB |\n' "$name" "$sites" "$built" "$seconds" "$peak" "$size"
done
if command -v hugo > /dev/null; then
  mkdir -p "$work/hugo/layouts/_default"
  cp -r "$work/one/content" "$work/hugo/content"
  printf 'baseURL = "https://hugo.example/"\ntitle = "Benchmark"\ndisableKinds = ["taxonomy", "term", "RSS"]\n[markup.highlight]\nnoClasses = false\n' > "$work/hugo/hugo.toml"
  cat > "$work/hugo/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  printf '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n' > "$work/hugo/layouts/_default/single.html"
  printf '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n' > "$work/hugo/layouts/_default/list.html"
  read -r seconds peak < <(measure hugo hugo --source "$work/hugo" --destination "$work/out-hugo" --quiet)
  printf '| Hugo, one site, minimal layout | 1 | %d | %.2f s | %d MiB | %d MiB |\n' \
    "$(find "$work/out-hugo" -name index.html | wc -l)" "$seconds" "$peak" "$(du -sm "$work/out-hugo" | cut -f1)"
fi
