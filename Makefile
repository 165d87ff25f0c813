# innowatch — the two commands a new user needs:
#   make demo   set up, build, and run the main job on the built-in sample data
#   make test   install what the tests need and run the whole test suite
SHELL := /bin/bash
GO    ?= go
BIN   ?= ./innowatch
# -s -w: no symbol table or DWARF (157 -> 118 MB on disk; panics still name
# their functions). --exclude-libs: DuckDB's C++ symbols are not exported
# from the binary (nothing loads extensions at run time, see docs/SQL.md), so
# the dynamic loader maps and walks a 30 KB symbol table instead of a 2 MB
# one: `innowatch --help` starts in 18-21 ms and 34 MiB instead of 22-24 ms
# and 41 MiB (docs/PERFORMANCE.md, "The binary").
LDFLAGS ?= -s -w -extldflags=-Wl,--exclude-libs,ALL
ASSETS := dashboards/assets/vendor/echarts.min.js dashboards/assets/vendor/maps/shan1_dong1_lin2_yi2.js

.PHONY: demo setup assets build test test-deps vet sample template bench crash clean

demo: build ## set up and run the main job on the sample data
	$(BIN) run

setup: assets ## fetch the pinned front-end assets (npm) and the Go modules
	$(GO) mod download

assets: $(ASSETS)
$(ASSETS): package.json package-lock.json scripts/assets.sh dashboards/jsbuild/echarts.js
	scripts/assets.sh

build: assets ## build the innowatch binary
	$(GO) build -ldflags='$(LDFLAGS)' -o $(BIN) ./cmd/innowatch

test: test-deps assets vet ## run every test (unit, end-to-end, browser)
	$(GO) test -race -count=1 ./...

test-deps: ## install Chromium and a CJK font for the browser tests, if missing
	scripts/test-deps.sh

vet:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...

sample: ## regenerate the embedded sample dataset from its seeded generator
	$(GO) run ./pipelines/sample/gen

template: ## remake the new warehouse's template (internal/duckdb/template/) after adding or editing a migration
	$(GO) test -count=1 -run '^TestWarehouseTemplate$$' ./internal/duckdb -update

bench: build ## measure innowatch against DuckDB at city, province and national scale (minutes)
	$(GO) run ./scripts/bench -bin $(BIN)

crash: ## the full crash-safety run: 50 SIGKILLs at random moments
	INNOWATCH_CRASH_TRIALS=50 $(GO) test -count=1 -run KillAnywhere -v ./cmd/innowatch/crashtest/

clean:
	rm -rf $(BIN) warehouse.duckdb warehouse.duckdb.wal site serving
