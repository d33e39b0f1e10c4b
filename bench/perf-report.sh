#!/usr/bin/env bash
# Writes docs/performance.md: build time and peak memory of livery for PAGES x PARTNERS,
# a rebuild after one page changed, `livery check`, and Hugo (when installed: Debian's
# `hugo` package) building the same generated pages once, measured in the same run.
#
#   bench/perf-report.sh                                  # 1k/5k/10k pages x 1/5/10/20 partners, both shapes
#   PAGES="1000" PARTNERS="1 10" bench/perf-report.sh     # a quick subset
#   SHAPES="big" bench/perf-report.sh                     # only few sections of 1,000 pages
#   OUT=/tmp/perf.md bench/perf-report.sh                 # write elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
pages_list=${PAGES:-"1000 5000 10000"}
partners_list=${PARTNERS:-"1 5 10 20"}
# small: sections of 50 pages; big: sections of 1,000 (one flat folder of a real corpus).
shapes_list=${SHAPES:-"small big"}
out=${OUT:-docs/performance.md}
max_partners=$(echo "$partners_list" | tr ' ' '\n' | sort -n | tail -1)
# Projects and output live in memory (tmpfs) when the machine has /dev/shm: on a shared
# virtual disk, write throughput varies several-fold from one minute to the next
# (1,000 x 5 took 2.7 s, then 11 s, with nothing else running), which would drown
# what livery itself does. BENCH_TMP=/some/disk measures a disk instead.
tmp=${BENCH_TMP:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)}
work=$(mktemp -d "$tmp/livery-perf.XXXXXX")
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
# Cargo says where its binaries are (CARGO_TARGET_DIR, build.target-dir).
target_dir=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
livery=$target_dir/release/livery

# sizes DIR : prints "site-MiB median-page-KiB search-index-KiB" of one built site.
sizes() {
  local site=$1
  local total median index
  total=$(du -sb "$site" | awk '{ printf "%.1f", $1 / 1048576 }')
  median=$(find "$site" -name index.html -printf '%s\n' | sort -n | awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1024 }')
  index=$([ -f "$site/search-index.json" ] && stat -c %s "$site/search-index.json" | awk '{ printf "%.0f", $1 / 1024 }' || echo "—")
  echo "$total $median $index"
}

# measure CMD... : runs CMD, prints "seconds peak-MiB".
measure() {
  /usr/bin/time -f '%e %M' -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || {
    cat "$work/stderr" >&2
    exit 1
  }
  awk '{ printf "%.2f %.0f\n", $1, $2 / 1024 }' "$work/time"
}

# A Hugo site over the same content: layouts with the same parts as livery's theme
# (sidebar with the current section expanded, breadcrumbs, table of contents,
# previous/next, section listings), highlighting with CSS classes, no taxonomies.
hugo_site() {
  local dir=$1 content=$2
  mkdir -p "$dir/layouts/_default"
  cp -r "$content" "$dir/content"
  cat > "$dir/hugo.toml" <<'TOML'
baseURL = "https://hugo.example/"
title = "Benchmark"
disableKinds = ["taxonomy", "term", "RSS"]
[markup.highlight]
noClasses = false
[markup.goldmark.renderer]
unsafe = true
TOML
  cat > "$dir/layouts/_default/baseof.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} – {{ .Site.Title }}</title>
<meta name="description" content="{{ .Description }}"><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<nav><ul>{{ $current := . }}{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ if or (eq $current .) ($current.IsDescendant .) }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}"{{ if eq $current . }} aria-current="page"{{ end }}>{{ .Title }}</a></li>{{ end }}</ul>{{ end }}</li>{{ end }}</ul></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$dir/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<ol class="breadcrumbs">{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
<article><h1>{{ .Title }}</h1><p>{{ .Description }}</p><p>Owner: {{ .Params.owner }}</p>{{ .Content }}</article>
<aside>{{ .TableOfContents }}</aside>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
HTML
  cat > "$dir/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>{{ end }}
HTML
}

rows=""
hugo_rows=""
targets=""
for shape in $shapes_list; do
for pages in $pages_list; do
  project="$work/project-$pages"
  cargo run --release --quiet --example gen_corpus -- "$project" "$pages" "$max_partners" "$shape" > /dev/null
  first=""
  for partners in $partners_list; do
    args=()
    for ((i = 0; i < partners; i++)); do args+=(--partner "$(printf 'p%02d' "$i")"); done
    dest="$work/out-$pages-$partners"
    read -r cold cold_mib < <(measure "$livery" build --root "$project" --out "$dest" -q "${args[@]}")
    read -r site_mib page_kib index_kib < <(sizes "$dest/p00")
    read -r check _ < <(measure "$livery" check --root "$project" "${args[@]}")
    # One page edited: everything is compared, only what changed is written.
    echo "Edited for the benchmark." >> "$project/content/section-000/page-00001.md"
    read -r one _ < <(measure "$livery" build --root "$project" --out "$dest" -q "${args[@]}")
    rm -rf "$dest"
    rate=$(awk -v n="$pages" -v p="$partners" -v s="$cold" 'BEGIN { printf "%.0f", n * p / (s > 0 ? s : 0.01) }')
    if [ -z "$first" ]; then
      first=$cold
      first_partners=$partners
      extra="—"
    else
      extra=$(awk -v t="$cold" -v f="$first" -v p="$partners" -v q="$first_partners" \
        'BEGIN { printf "%.0f%%", 100 * (t - f) / (p - q) / f }')
    fi
    rows+="| $shape | $pages | $partners | $cold s | $rate | $cold_mib MiB | $extra | $one s | $check s | $site_mib MiB | $page_kib KiB | $index_kib KiB |"$'\n'
    echo "livery $shape $pages x $partners: cold $cold s, $cold_mib MiB, one-page rebuild $one s, check $check s, site $site_mib MiB, median page $page_kib KiB" >&2
  done
  if command -v hugo > /dev/null; then
    site="$work/hugo-$pages"
    hugo_site "$site" "$project/content"
    read -r hugo_s hugo_mib < <(measure hugo --source "$site" --destination "$work/hugo-out-$pages" --quiet)
    read -r hugo_site_mib hugo_page_kib _ < <(sizes "$work/hugo-out-$pages")
    hugo_rows+="| $shape | $pages | $hugo_s s | $hugo_mib MiB | $hugo_site_mib MiB | $hugo_page_kib KiB |"$'\n'
    echo "hugo $shape $pages: $hugo_s s, $hugo_mib MiB, site $hugo_site_mib MiB, median page $hugo_page_kib KiB" >&2
    rm -rf "$site" "$work/hugo-out-$pages"
  fi
  rm -rf "$project"
done
done

hugo_version=$(command -v hugo > /dev/null && hugo version | awk '{print $1, $2}' || echo "not installed")
{
  echo "# Performance"
  echo
  echo "Generated by \`bench/perf-report.sh\` on $(date -u +%Y-%m-%d) ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) RAM,"
  echo "livery $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $hugo_version). Rerun it to refresh this file."
  echo
  echo "The corpus comes from \`examples/gen_corpus.rs\` in two shapes: *small* (sections of"
  echo "50 runbooks) and *big* (sections of 1,000, like one flat folder of a real corpus); each runbook has"
  echo "four headings, task lists, two highlighted code blocks, a table, an alert and a"
  echo "cross-link with an anchor; partners differ in name, colours and contact details."
  echo "Times are wall-clock seconds of the release binary into an empty output folder in"
  echo "\`$tmp\` (tmpfs when it is \`/dev/shm\`: this machine's virtual disk varies several-fold"
  echo "in write speed from minute to minute); peak memory is the maximum resident set size."
  echo
  echo "## livery"
  echo
  echo "| shape | pages | partners | cold build | pages/s | peak memory | each extra partner, % of the first | rebuild after one page changed | \`livery check\` | one partner's site | median page | search index |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  echo
  echo "*pages/s* counts every page of every partner. *Each extra partner* is (time − time of"
  echo "the smallest partner count) / (added partners) / time of the smallest partner count."
  echo "The one-page rebuild is the CLI's: every file is rendered and compared, only changed"
  echo "files are written; the dev server (\`livery serve\`) re-renders only the changed page"
  echo "(\`node bench/live-reload.mjs\`)."
  echo
  echo "## Hugo on the same pages"
  echo
  if [ -n "$hugo_rows" ]; then
    echo "One site (Hugo has no notion of partners), with layouts that have the same parts as"
    echo "livery's theme: sidebar with the current section expanded, breadcrumbs, table of"
    echo "contents, previous/next, section listings; highlighting with CSS classes."
    echo
    echo "| shape | pages | build | peak memory | site | median page |"
    echo "|---|---|---|---|---|---|"
    printf '%s' "$hugo_rows"
  else
    echo "Hugo is not installed on this machine (\`apt-get install hugo\`)."
  fi
} > "$out"
echo "wrote $out" >&2
