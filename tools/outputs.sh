#!/usr/bin/env bash
# Writes everything policykg shows of the seed and the development corpus into one folder,
# a file per output, so that two builds can be compared byte for byte (`diff -r`): parse
# JSON and outlines, the RDF in every format, every view in every format (the corpus and
# one document), analyses, the matrix, named queries, statistics, validation and the pages.
#
#   tools/outputs.sh BINARY OUT_DIR
#
# PDFs carry the time they were made, and Graphviz routes some splines of neato drawings
# differently from run to run (the DOT is the same): compare those with that in mind.
#
# BINARY is a `policykg` executable; OUT_DIR is made anew; the documents are those of this
# checkout (or of POLICYKG_ROOT). Runs a server on a free loopback
# port for the pages and stops it at the end.
set -euo pipefail

bin=$(realpath "$1")
out=$2
root=$(cd "$(dirname "$0")/.." && pwd)
root=${POLICYKG_ROOT:-$root}
rm -rf "$out"
mkdir -p "$out"/{parse,rdf,views,analyze,matrix,queries,pages}
out=$(realpath "$out")
work=$(mktemp -d)
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
store="$work/store"
# Paths relative to the checkout: documents keep the path they were read from.
cd "$root"
seed=data/docs/liaoning-2021-1.txt
corpus=("$seed" tests/corpus/*.txt)

for f in "${corpus[@]}"; do
  name=$(basename "$f" .txt)
  "$bin" parse --format json "$f" >"$out/parse/$name.json" 2>&1 || true
  "$bin" parse --format text "$f" >"$out/parse/$name.txt" 2>&1 || true
done

"$bin" --store "$store" ingest "${corpus[@]}" >"$out/ingest.txt" 2>&1
"$bin" --store "$store" stats >"$out/stats.txt" 2>&1
"$bin" --store "$store" validate >"$out/validate.txt" 2>&1 || true

for fmt in ttl nt nq trig rdfxml jsonld; do
  "$bin" --store "$store" export rdf --format "$fmt" --output "$out/rdf/all.$fmt"
done
"$bin" --store "$store" export rdf --format ttl \
  --graph https://policykg.org/graph/liaoning-2021-1 --output "$out/rdf/seed.ttl"

# A view's arguments, by a name for its file.
declare -A views=(
  [dependency-seed]="dependency --document liaoning-2021-1"
  [dependency-section]="dependency --document liaoning-2021-1 --section 2"
  [dependency-strategy]="dependency --strategy 粤港澳大湾区建设"
  [cooperation]="cooperation"
  [cooperation-seed]="cooperation --document liaoning-2021-1"
  [cooperation-lead]="cooperation --role lead --min-weight 2"
  [cooperation-limit]="cooperation --limit 10"
  [strategy]="strategy"
  [strategy-seed]="strategy --document liaoning-2021-1 --stated-only"
  [region]="region"
  [region-seed]="region --document liaoning-2021-1"
  [ego]="ego --focus 省科技厅 --document liaoning-2021-1"
  [ego-depth2]="ego --focus 省发展改革委 --depth 2 --document liaoning-2021-1"
  [path]="path --from 省科技厅 --to 粤港澳大湾区建设 --document liaoning-2021-1"
  [construct]="construct --query CONSTRUCT{?t<http://www.w3.org/2000/01/rdf-schema#label>?l}WHERE{?t<http://www.w3.org/2000/01/rdf-schema#label>?l}"
)
for name in $(printf '%s\n' "${!views[@]}" | sort); do
  read -r -a args <<<"${views[$name]}"
  for fmt in dot svg png pdf graphml json; do
    "$bin" --store "$store" export "${args[@]}" --format "$fmt" \
      --output "$out/views/$name.$fmt" >"$out/views/$name.$fmt.log" 2>&1 || true
  done
  "$bin" --store "$store" analyze --view "${args[@]}" >"$out/analyze/$name.txt" 2>&1 || true
  "$bin" --store "$store" analyze --view "${args[@]}" --format json \
    >"$out/analyze/$name.json" 2>&1 || true
done
# Errors the views give, word for word.
"$bin" --store "$store" export dependency >"$out/views/error-too-large.txt" 2>&1 || true
"$bin" --store "$store" export ego >"$out/views/error-no-focus.txt" 2>&1 || true
"$bin" --store "$store" export ego --focus 无此单位 >"$out/views/error-no-node.txt" 2>&1 || true

for fmt in csv xlsx svg json; do
  "$bin" --store "$store" export matrix --document liaoning-2021-1 --format "$fmt" \
    --output "$out/matrix/seed.$fmt" >"$out/matrix/seed.$fmt.log" 2>&1 || true
  "$bin" --store "$store" export matrix --unit 省科技厅 --format "$fmt" \
    --output "$out/matrix/unit.$fmt" >"$out/matrix/unit.$fmt.log" 2>&1 || true
done

for q in queries/*.rq; do
  name=$(basename "$q" .rq)
  for fmt in tsv json table; do
    "$bin" --store "$store" query --file "$q" --format "$fmt" \
      >"$out/queries/$name.$fmt" 2>&1 || true
  done
done

# A fixed port: pages link to the explorer's own address.
port=${POLICYKG_PORT:-17878}
"$bin" --store "$store" serve --bind "127.0.0.1:$port" --data "$work/none" \
  >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
pages=(
  "/" "/health" "/api/stats" "/api/stats?limit=1&offset=1" "/query"
  "/doc/liaoning-2021-1" "/doc/01" "/doc/02" "/doc/central-01" "/doc/nothing"
  "/search?q=科技" "/search?q=省发展改革委" "/api/search?q=人才"
  "/entity?iri=https://policykg.org/id/strategy/粤港澳大湾区建设"
  "/graph/cooperation" "/graph/strategy" "/graph/region" "/graph/dependency"
  "/graph/dependency?document=liaoning-2021-1" "/graph/ego?focus=省科技厅&document=liaoning-2021-1"
  "/graph/path?from=省科技厅&to=粤港澳大湾区建设&document=liaoning-2021-1"
  "/graph/cooperation.svg" "/graph/cooperation.json" "/graph/cooperation.graphml"
  "/graph/dependency.dot?document=liaoning-2021-1" "/graph/region.json"
  "/graph/strategy.dot?stated_only=true" "/graph/cooperation.dot?min_weight=x"
  "/graph/nothing.svg" "/graph/cooperation.nothing"
  "/matrix" "/matrix?document=liaoning-2021-1" "/matrix.csv?document=liaoning-2021-1"
  "/matrix.json?unit=省科技厅" "/matrix.svg?document=liaoning-2021-1"
  "/compare" "/compare?first=liaoning-2021-1&second=01" "/compare.csv?first=liaoning-2021-1&second=01"
  "/compare.svg?first=liaoning-2021-1&second=01" "/matrix.xlsx?document=liaoning-2021-1"
  "/compare.dot?first=liaoning-2021-1&second=01" "/graph/cooperation.png" "/graph/ego.pdf?focus=省科技厅"
  "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D"
)
i=0
for page in "${pages[@]}"; do
  i=$((i + 1))
  curl -s -g -o "$out/pages/$(printf %02d $i).body" -w '%{http_code} %{content_type}\n' \
    "http://127.0.0.1:$port$page" >"$out/pages/$(printf %02d $i).status"
  echo "$page" >>"$out/pages/index.txt"
done
