#!/usr/bin/env bash
# Regenerates screenshots/*.png: the console's own view code renders each state
# to SVG (the parkplan-console example `screenshots`), rsvg-convert rasterizes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { apt-get update -qq && apt-get install -y -qq librsvg2-bin fonts-dejavu-core; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --release --quiet -p parkplan-console --example screenshots -- "$tmp" >/dev/null
mkdir -p screenshots
for svg in "$tmp"/*.svg; do
  name=$(basename "$svg" .svg)
  rsvg-convert --zoom 1 "$svg" -o "screenshots/$name.png"
  echo "screenshots/$name.png"
done
