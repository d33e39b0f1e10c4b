#!/usr/bin/env bash
# Writes docs/performance.md: livery's cold build, one-page-edit rebuilds (body, then
# title), `livery check`, peak memory, output bytes per partner, median page size and
# search-index bytes for PAGES x PARTNERS in both corpus shapes; Hugo (Debian's `hugo`
# package, when installed) building the same generated pages once in the same run, with a
# lean layout and a heavy one; and each target of issue 13 as a ratio with PASS or MISS.
#
#   bench/perf-report.sh                                          # 1k/5k/10k pages x 1/5/10/20 partners, both shapes
#   PAGES=1000 PARTNERS="1 10" SHAPES=small bench/perf-report.sh  # a quick subset (a couple of minutes)
#   SHAPES="big" bench/perf-report.sh                             # only few sections of 1,000 pages
#   HUGO_LAYOUTS=lean bench/perf-report.sh                        # skip Hugo's heavy layout
#   OUT=/tmp/perf.md bench/perf-report.sh                         # write elsewhere
#   RUNS=3 bench/perf-report.sh                                   # fastest of 3 runs of every timing
#
# Each timing is one run unless RUNS says otherwise: on a busy or shared machine, read
# differences of a few percent (more at RUNS=1) as noise; the report records the load.
set -euo pipefail
export LC_ALL=C # decimal points in $EPOCHREALTIME and printf
cd "$(dirname "$0")/.."
pages_list=${PAGES:-"1000 5000 10000"}
partners_list=${PARTNERS:-"1 5 10 20"}
# small: sections of 50 pages; big: sections of 1,000 (one flat folder of a real corpus).
shapes_list=${SHAPES:-"small big"}
hugo_layouts=${HUGO_LAYOUTS:-"lean heavy"}
runs=${RUNS:-1}
out=${OUT:-docs/performance.md}
max_partners=$(echo "$partners_list" | tr ' ' '\n' | sort -n | tail -1)
# Projects and output live in memory (tmpfs) when the machine has /dev/shm: on a shared
# virtual disk, write throughput varies several-fold from one minute to the next
# (1,000 x 5 took 2.7 s, then 11 s, with nothing else running), which would drown
# what livery itself does. BENCH_TMP=/some/disk measures a disk instead.
tmp=${BENCH_TMP:-$([ -d /dev/shm ] && echo /dev/shm || echo /tmp)}
work=$(mktemp -d "$tmp/livery-perf.XXXXXX")
trap 'rm -rf "$work"' EXIT
have_hugo=$(command -v hugo > /dev/null && echo yes || echo "")
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

cargo build --release --quiet
cargo build --release --quiet --example gen_corpus
# Cargo says where its binaries are (CARGO_TARGET_DIR, build.target-dir).
target_dir=$(cargo metadata --format-version 1 --no-deps | sed 's/.*"target_directory":"\([^"]*\)".*/\1/')
livery=$target_dir/release/livery
gen_corpus=$target_dir/release/examples/gen_corpus

# bytes PATH... : total bytes of the files under PATHs (files or folders); "—" when none exists.
bytes() {
  local found=""
  for path in "$@"; do [ -e "$path" ] && found+="$path"$'\n'; done
  if [ -z "$found" ]; then echo "—"; return; fi
  printf '%s' "$found" | xargs -d '\n' -I{} find {} -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f\n", s }'
}

# median_page DIR : median size in bytes of the pages (index.html files) under DIR.
median_page() {
  find "$1" -name index.html -printf '%s\n' | sort -n | awk '{ a[NR] = $1 } END { printf "%d\n", a[int((NR + 1) / 2)] }'
}

# Formatting: bytes as MiB / KiB, seconds with three decimals below 10 s.
mib() { [ "$1" = "—" ] && echo "—" || awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
kib() { [ "$1" = "—" ] && echo "—" || awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
secs() { awk -v s="$1" 'BEGIN { printf (s < 10 ? "%.3f s" : "%.2f s"), s }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / (b > 0 ? b : 0.001) }'; }

# measure CMD... : runs CMD, prints "seconds peak-MiB". Wall time from bash's clock
# (microseconds; /usr/bin/time only has hundredths), peak resident set from /usr/bin/time.
measure() {
  local start=$EPOCHREALTIME end
  /usr/bin/time -f '%M' -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" || {
    echo "failed: $*" >&2
    cat "$work/stderr" >&2
    exit 1
  }
  end=$EPOCHREALTIME
  awk -v a="$start" -v b="$end" -v k="$(tail -1 "$work/time")" 'BEGIN { printf "%.3f %.0f\n", b - a, k / 1024 }'
}

# best CMD... : runs CMD (which prints "seconds peak-MiB") RUNS times, prints the fastest
# time and the highest peak; nothing when a run failed.
best() {
  for ((run = 0; run < runs; run++)); do "$@" || exit 1; done |
    awk -v n="$runs" 'NR == 1 || $1 < s { s = $1 } $2 > m { m = $2 } END { if (NR == n) printf "%.3f %.0f\n", s, m }'
}

# The edits of the one-page rebuilds: a sentence appended to a page's body, and a page's
# new title (which its neighbours show: sidebar, previous/next, section listing). Each
# edit is new (the clock's microseconds), even when made in a subshell.
body_page=content/section-000/page-00001.md
title_page=content/section-000/page-00002.md
edit_body() {
  printf '\nEdited for the benchmark (%s).\n' "${EPOCHREALTIME/./}" >> "$1/$body_page"
}
edit_title() {
  local stamp=${EPOCHREALTIME/./}
  sed -i "s/^title = \"Runbook 2.*\"\$/title = \"Runbook 2, renamed $stamp\"/" "$1/$title_page"
  grep -q "^title = \"Runbook 2, renamed $stamp\"\$" "$1/$title_page" || { echo "title edit failed" >&2; exit 1; }
}

# The timed steps, on the globals project, dest, args, site and hugo_out of the loop below.
# Cold: no build cache in the project, an empty output folder.
livery_cold() { rm -rf "$project/.livery" "$dest" && measure "$livery" build --root "$project" --out "$dest" -q "${args[@]}"; }
# One page edited, then built again: whatever the project keeps between builds is used.
livery_body() { edit_body "$project" && measure "$livery" build --root "$project" --out "$dest" -q "${args[@]}"; }
livery_title() { edit_title "$project" && measure "$livery" build --root "$project" --out "$dest" -q "${args[@]}"; }
livery_check() { measure "$livery" check --root "$project" "${args[@]}"; }
hugo_cold() { rm -rf "$hugo_out" && measure hugo --source "$site" --destination "$hugo_out" --quiet; }
# Hugo's CLI keeps nothing between builds: the same edit, then a full build again.
hugo_body() { edit_body "$site" && measure hugo --source "$site" --destination "$hugo_out" --quiet; }

# A Hugo site over the same content, highlighting with CSS classes, no taxonomies.
# Both layouts have a page template with breadcrumbs, the content, a table of contents
# and previous/next in the section, and a section template listing the section's
# children. lean: a head with title and stylesheet, a header, no sidebar (each page costs
# the same whatever its section's size). heavy: also a sidebar of every section with the
# current one expanded, as livery's theme had before its sidebar was bounded; quadratic in
# a section's size, so not a fair comparison on its own in the big shape.
hugo_site() {
  local dir=$1 content=$2 layout=$3
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
  local sidebar=""
  if [ "$layout" = heavy ]; then
    sidebar='<nav><ul>{{ $current := . }}{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
{{ if or (eq $current .) ($current.IsDescendant .) }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}"{{ if eq $current . }} aria-current="page"{{ end }}>{{ .Title }}</a></li>{{ end }}</ul>{{ end }}</li>{{ end }}</ul></nav>'
  fi
  cat > "$dir/layouts/_default/baseof.html" <<HTML
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} – {{ .Site.Title }}</title>
<meta name="description" content="{{ .Description }}"><link rel="stylesheet" href="{{ "style.css" | relURL }}"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
$sidebar
<main>{{ block "main" . }}{{ end }}</main></body></html>
HTML
  cat > "$dir/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<ol class="breadcrumbs">{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
<article><h1>{{ .Title }}</h1><p>{{ .Description }}</p><p>Owner: {{ .Params.owner }}</p>{{ .Content }}</article>
<aside>{{ .TableOfContents }}</aside>
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
HTML
  cat > "$dir/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<ol class="breadcrumbs">{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol>
<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>{{ end }}</ul>{{ end }}
HTML
}

declare -A cold body title median hugo_lean
rows=""
hugo_rows=""
for shape in $shapes_list; do
for pages in $pages_list; do
  project="$work/project-$pages"
  "$gen_corpus" "$project" "$pages" "$max_partners" "$shape" > /dev/null
  cp "$project/$body_page" "$work/body-page.md"
  cp "$project/$title_page" "$work/title-page.md"
  first=""
  for partners in $partners_list; do
    args=()
    for ((i = 0; i < partners; i++)); do args+=(--partner "$(printf 'p%02d' "$i")"); done
    dest="$work/out-$pages-$partners"
    key="$shape,$pages,$partners"
    read -r cold_s cold_mib < <(best livery_cold)
    site_bytes=$(bytes "$dest"/p*)
    per_partner=$(awk -v b="$site_bytes" -v p="$partners" 'BEGIN { printf "%.0f", b / p }')
    page_bytes=$(median_page "$dest/p00")
    index_bytes=$(bytes "$dest/p00/search-index.json" "$dest/p00/search")
    read -r body_s body_mib < <(best livery_body)
    read -r title_s _ < <(best livery_title)
    read -r check_s _ < <(best livery_check)
    rm -rf "$dest"
    cp "$work/body-page.md" "$project/$body_page"
    cp "$work/title-page.md" "$project/$title_page"
    cold[$key]=$cold_s body[$key]=$body_s title[$key]=$title_s
    [ -n "${median[$shape,$pages]:-}" ] || median[$shape,$pages]=$page_bytes
    rate=$(awk -v n="$pages" -v p="$partners" -v s="$cold_s" 'BEGIN { printf "%.0f", n * p / (s > 0 ? s : 0.001) }')
    if [ -z "$first" ]; then
      first=$cold_s
      first_partners=$partners
      extra="—"
    else
      extra=$(awk -v t="$cold_s" -v f="$first" -v p="$partners" -v q="$first_partners" \
        'BEGIN { printf "%.0f%%", 100 * (t - f) / (p - q) / f }')
    fi
    rows+="| $shape | $pages | $partners | $(secs "$cold_s") | $rate | $cold_mib MiB | $extra"
    rows+=" | $(secs "$body_s") ($(pct "$body_s" "$cold_s")), $body_mib MiB | $(secs "$title_s") ($(pct "$title_s" "$cold_s"))"
    rows+=" | $(secs "$check_s") | $(mib "$per_partner") | $(kib "$page_bytes") | $(kib "$index_bytes") |"$'\n'
    echo "livery $shape $pages x $partners: cold $cold_s s ($cold_mib MiB), body edit $body_s s ($body_mib MiB)," \
      "title edit $title_s s, check $check_s s, $(mib "$per_partner") per partner, median page $(kib "$page_bytes")," \
      "search index $(kib "$index_bytes")" >&2
  done
  if [ -n "$have_hugo" ]; then
    hugo_row="| $shape | $pages"
    for layout in lean heavy; do
      if [[ " $hugo_layouts " != *" $layout "* ]]; then
        hugo_row+=" | not run | — | — | —"
        [ "$layout" = lean ] && hugo_row+=" | —"
        continue
      fi
      site="$work/hugo-$layout-$pages"
      hugo_out="$work/hugo-out-$layout-$pages"
      hugo_site "$site" "$project/content" "$layout"
      read -r hugo_s hugo_mib < <(best hugo_cold)
      hugo_bytes=$(bytes "$hugo_out")
      hugo_page=$(median_page "$hugo_out")
      hugo_row+=" | $(secs "$hugo_s") | $hugo_mib MiB | $(mib "$hugo_bytes") | $(kib "$hugo_page")"
      msg="hugo $layout $shape $pages: $hugo_s s ($hugo_mib MiB), site $(mib "$hugo_bytes"), median page $(kib "$hugo_page")"
      if [ "$layout" = lean ]; then
        hugo_lean[$shape,$pages]=$hugo_s
        read -r hugo_again _ < <(best hugo_body)
        hugo_row+=" | $(secs "$hugo_again")"
        msg+=", after one page edit $hugo_again s"
      fi
      echo "$msg" >&2
      rm -rf "$site" "$hugo_out"
    done
    hugo_rows+="$hugo_row |"$'\n'
  fi
  rm -rf "$project"
done
# The median page at 100 pages, for the page-size target, when the run did not include it.
if [ -z "${median[$shape,100]:-}" ]; then
  project="$work/project-100"
  "$gen_corpus" "$project" 100 1 "$shape" > /dev/null
  "$livery" build --root "$project" --out "$work/out-100" -q --partner p00
  median[$shape,100]=$(median_page "$work/out-100/p00")
  echo "livery $shape 100 x 1: median page $(kib "${median[$shape,100]}")" >&2
  rm -rf "$project" "$work/out-100"
fi
done

# target_row NAME SHAPE MEASURED RATIO OP LIMIT : a row of the targets table, PASS when
# RATIO OP LIMIT holds (OP is < or ≤); RATIO empty: not measured by this run.
target_row() {
  local name=$1 shape=$2 measured=$3 ratio=$4 op=$5 limit=$6 result
  if [ -z "$ratio" ]; then
    echo "| $name | $shape | $measured | — | $op $limit | not measured |"
    return
  fi
  result=$(awk -v r="$ratio" -v l="$limit" -v op="$op" \
    'BEGIN { print ((op == "<" ? r < l : r <= l) ? "PASS" : "MISS") }')
  echo "| $name | $shape | $measured | $(awk -v r="$ratio" 'BEGIN { printf "%.2f", r }') | $op $limit | **$result** |"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a / (b > 0 ? b : 0.001) }'; }

targets=""
for shape in $shapes_list; do
  # 1,000 pages x 10 partners faster than one Hugo build (lean layout) of the same 1,000 pages.
  l=${cold[$shape,1000,10]:-} h=${hugo_lean[$shape,1000]:-}
  if [ -n "$l" ] && [ -n "$h" ]; then
    targets+=$(target_row "livery 1,000 pages x 10 partners ÷ Hugo lean, 1,000 pages" "$shape" "$(secs "$l") ÷ $(secs "$h")" "$(ratio "$l" "$h")" "<" 1)$'\n'
  else
    targets+=$(target_row "livery 1,000 pages x 10 partners ÷ Hugo lean, 1,000 pages" "$shape" "needs PAGES with 1000, PARTNERS with 10, Hugo lean" "" "<" 1)$'\n'
  fi
  # 5,000 pages x 20 partners within 3x one Hugo build (lean layout) of the same 5,000 pages.
  l=${cold[$shape,5000,20]:-} h=${hugo_lean[$shape,5000]:-}
  if [ -n "$l" ] && [ -n "$h" ]; then
    targets+=$(target_row "livery 5,000 pages x 20 partners ÷ Hugo lean, 5,000 pages" "$shape" "$(secs "$l") ÷ $(secs "$h")" "$(ratio "$l" "$h")" "≤" 3)$'\n'
  else
    targets+=$(target_row "livery 5,000 pages x 20 partners ÷ Hugo lean, 5,000 pages" "$shape" "needs PAGES with 5000, PARTNERS with 20, Hugo lean" "" "≤" 3)$'\n'
  fi
  # Median page at 5,000 pages within 1.5x of the median page at 100.
  l=${median[$shape,5000]:-} h=${median[$shape,100]:-}
  if [ -n "$l" ] && [ -n "$h" ]; then
    targets+=$(target_row "median page at 5,000 pages ÷ at 100 pages" "$shape" "$(kib "$l") ÷ $(kib "$h")" "$(ratio "$l" "$h")" "≤" 1.5)$'\n'
  else
    targets+=$(target_row "median page at 5,000 pages ÷ at 100 pages" "$shape" "needs PAGES with 5000" "" "≤" 1.5)$'\n'
  fi
  # One-page edit rebuild under 15% of the cold build: the worst configuration of 1,000 pages or more.
  for edit in body title; do
    worst="" worst_key=""
    for key in "${!cold[@]}"; do
      IFS=, read -r s p n <<< "$key"
      [ "$s" = "$shape" ] && [ "$p" -ge 1000 ] || continue
      [ "$edit" = body ] && e=${body[$key]} || e=${title[$key]}
      r=$(ratio "$e" "${cold[$key]}")
      if [ -z "$worst" ] || awk -v a="$r" -v b="$worst" 'BEGIN { exit !(a > b) }'; then
        worst=$r worst_key="$p x $n: $(secs "$e") ÷ $(secs "${cold[$key]}")"
      fi
    done
    [ "$edit" = body ] && what="body edited" || what="title edited"
    targets+=$(target_row "rebuild after one page's $what ÷ cold build (worst run of 1,000+ pages)" "$shape" "${worst_key:-needs PAGES of 1000 or more}" "$worst" "<" 0.15)$'\n'
  done
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
hugo_version=$([ -n "$have_hugo" ] && hugo version | awk '{print $1, $2}' || echo "not installed")
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
  if [ "$runs" = 1 ]; then each="one run each"; else each="the fastest of $runs runs"; fi
  echo "Times are wall-clock seconds of the release binary, $each, in"
  echo "\`$tmp\` (tmpfs when it is \`/dev/shm\`: this machine's virtual disk varies several-fold"
  echo "in write speed from minute to minute); peak memory is the maximum resident set size."
  echo "Load average (1, 5, 15 min) before the run: $load_before; after: $load_after (anything"
  echo "above 0 is another process competing for the $(nproc) cores: figures are then noisier)."
  echo
  echo "## Targets"
  echo
  echo "Hugo figures here are Hugo's **lean** layout (no sidebar; see below): the heavy one is"
  echo "quadratic in a section's size and would flatter livery in the big shape."
  echo
  echo "| target | shape | measured | ratio | limit | result |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "$targets"
  echo
  echo "The rebuild targets take the worst of the runs of 1,000 pages or more (at 100 pages a"
  echo "build is mostly start-up); every run's ratio is in the table below."
  echo
  echo "## livery"
  echo
  echo "| shape | pages | partners | cold build | pages/s | peak memory | each extra partner, % of the first | rebuild after one page's body edited (% of cold), peak memory | rebuild after one page's title edited (% of cold) | \`livery check\` | output per partner | median page | search index |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s' "$rows"
  echo
  echo "*Cold build*: no \`.livery/\` folder in the project (removed first), an empty output"
  echo "folder. *pages/s* counts every page of every partner. *Each extra partner* is (time −"
  echo "time of the smallest partner count) / (added partners) / time of the smallest partner"
  echo "count. *Rebuilds*: right after the cold build, a sentence is appended to one page's"
  echo "body (\`$body_page\`) and \`livery build\` runs again into the same output folder; then"
  echo "another page's title is changed (\`$title_page\`; its neighbours show it: sidebar,"
  echo "previous/next, section listing, search index) and it runs again. Whatever livery keeps"
  echo "in the project between builds is used, as a user's second \`livery build\` would."
  echo "\`livery check\` runs last. *Output per partner* is all partners' output bytes divided by"
  echo "the partner count; *median page* is the median \`index.html\` of one partner's site;"
  echo "*search index* is one partner's \`search-index.json\` plus any files under \`search/\`."
  echo "The dev server (\`livery serve\`) re-renders only the changed page"
  echo "(\`node bench/live-reload.mjs\`)."
  echo
  echo "## Hugo on the same pages"
  echo
  if [ -n "$hugo_rows" ]; then
    echo "One site (Hugo has no notion of partners), highlighting with CSS classes. Both layouts"
    echo "have a page template with breadcrumbs, the content, a table of contents and"
    echo "previous/next in the section, and a section template listing the section's children."
    echo "*Lean*: head with title and stylesheet, a header, no sidebar; the targets use it."
    echo "*Heavy*: also a sidebar of every section with the current one expanded, as livery's"
    echo "theme had before its sidebar was bounded (quadratic in big sections). Hugo's CLI keeps"
    echo "nothing between builds: the lean rebuild is a full build after the same body edit."
    echo
    echo "| shape | pages | lean build | lean peak memory | lean site | lean median page | lean rebuild after one page edited | heavy build | heavy peak memory | heavy site | heavy median page |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|"
    printf '%s' "$hugo_rows"
  else
    echo "Hugo is not installed on this machine (\`apt-get install hugo\`)."
  fi
} > "$out"
echo "wrote $out" >&2
