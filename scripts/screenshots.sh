#!/usr/bin/env bash
# Regenerates screenshots/*.png from the current binary: the console's own view
# code renders each state to SVG (parkplan screenshots), rsvg-convert rasterizes.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v rsvg-convert >/dev/null || { apt-get update -qq && apt-get install -y -qq librsvg2-bin fonts-dejavu-core; }
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./target/release/parkplan screenshots "$tmp" >/dev/null
mkdir -p screenshots
for svg in "$tmp"/*.svg; do
  name=$(basename "$svg" .svg)
  rsvg-convert --zoom 1 "$svg" -o "screenshots/$name.png"
  echo "screenshots/$name.png"
done
