# The consent manager's build. `make run` serves the demo, `make test` runs
# every test; both install what they need (see scripts/ensure-*).

GO        ?= go
GOBIN     := $(shell $(GO) env GOPATH)/bin
DIST      := web/dist
WASM      := $(DIST)/consent.wasm
CONSOLE_WASM := $(DIST)/console.wasm
HOST      := bin/consent-host
ADDR      ?= localhost:8080
# The host's version, as -version and /metrics say it: the commit described
# by git (a tag when there is one), "+modified" for uncommitted changes.
VERSION   ?= $(shell git describe --tags --always --dirty=+modified 2>/dev/null || echo devel)
# Every Go source but the tests: a change to any of them rebuilds.
GO_SOURCES := $(shell find . -name '*.go' -not -name '*_test.go' -not -path './.git/*' -not -path './.build/*') go.mod go.sum
WEB_FILES  := $(wildcard web/*.js web/*.css web/pages/*.html) $(wildcard portals/*.json)
# The embed script and the stylesheets, minified by esbuild (a Go tool pinned
# in go.mod): what the host serves.
MINIFIED   := $(DIST)/embed.js $(DIST)/loader.js $(DIST)/integrations.js $(DIST)/banner.css $(DIST)/consent.css $(DIST)/console.css $(DIST)/console.js $(DIST)/demo.css
WASMBROWSERTEST := $(GOBIN)/wasmbrowsertest

# A step that fails (cmd/wasmdata refusing a module, say) leaves no target
# newer than its sources for the next make to skip.
.DELETE_ON_ERROR:

.PHONY: all build run test test-go-app test-native test-fuzz fuzz test-wasm test-browser vet deps bench bench-browser bench-lighthouse bench-stats load clean

all: build

build: $(HOST)

# The WebAssembly client: no server code (cmd/consent-wasm imports none, and
# go-app's own HTTP handler is patched out), no paths or symbols of the
# build machine.
$(WASM): $(GO_SOURCES)
	@echo "building the WebAssembly client (GOOS=js GOARCH=wasm; on a new machine the first build takes a minute or two)"
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/consent-wasm
	$(GO) run ./cmd/wasmdata -split $@
	scripts/private-wasm-exec.sh "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" | $(GO) tool esbuild --minify --target=es2019 --log-level=warning > $(DIST)/wasm_exec.js
	$(GO) run ./cmd/precompress $@

# The console's configurator: a WebAssembly of its own, which only the
# host's /console/ page loads.
$(CONSOLE_WASM): $(GO_SOURCES)
	@echo "building the console's WebAssembly"
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $@ ./cmd/consent-console
	$(GO) run ./cmd/wasmdata $@
	$(GO) run ./cmd/precompress $@

$(DIST)/%.js: web/%.js go.mod
	$(GO) tool esbuild $< --minify --target=es2019 --log-level=warning --outfile=$@

# The page's scripts: web/embed.js, web/loader.js and web/integrations.js
# are entries, each bundled with the ES modules of web/src/ it imports (the
# protocol between them and Go is web/src/protocol.ts) into one script.
PAGE_MODULES := $(wildcard web/src/*.js web/src/*.ts)
$(DIST)/embed.js $(DIST)/loader.js $(DIST)/integrations.js: $(DIST)/%.js: web/%.js $(PAGE_MODULES) go.mod
	$(GO) tool esbuild $< --bundle --format=iife --minify --target=es2019 --log-level=warning --outfile=$@

$(DIST)/%.css: web/%.css go.mod
	$(GO) tool esbuild $< --minify --log-level=warning --outfile=$@

$(HOST): $(WASM) $(CONSOLE_WASM) $(MINIFIED) $(GO_SOURCES) $(WEB_FILES)
	@echo "building the host (one static binary, the client and the web files embedded)"
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags='-X main.version=$(VERSION)' -o $@ ./cmd/consent-host

run: $(HOST)
	@echo "starting the host: it prints the address it serves (Ctrl-C stops it)"
	./$(HOST) -addr $(ADDR)

test: deps vet test-go-app test-native test-fuzz test-wasm test-browser

deps:
	@scripts/ensure-chromium.sh
	@scripts/ensure-axe.sh
	@scripts/ensure-proxies.sh
	@scripts/ensure-podman.sh
	@test -x $(WASMBROWSERTEST) || { echo "installing wasmbrowsertest v0.11.0 (runs the WebAssembly tests in Chromium)"; GOFLAGS= $(GO) install github.com/agnivade/wasmbrowsertest@v0.11.0; }

vet: $(WASM) $(CONSOLE_WASM) $(MINIFIED)
	@echo "gofmt and go vet, native and js/wasm"
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "not gofmt'ed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet . ./consent/... ./portals/... ./app/... ./bridge/... ./console/... ./cmd/consent-wasm/... ./cmd/consent-console/...

# go-app as every go command builds it (third_party/go-app/v10, which go.mod
# names) is go-app at go.mod's version with third_party/go-app/*.patch:
# scripts/go-app.sh makes it again and fails on any difference (a hand edit,
# a patch changed without running it).
test-go-app:
	scripts/go-app.sh -check

# The consent model, the host, the components and the receipt store,
# natively; the store against SQLite and a throwaway PostgreSQL server;
# deploy/: the container image around $(HOST), run with podman, and the
# systemd unit.
test-native: $(WASM) $(CONSOLE_WASM) $(MINIFIED) $(HOST)
	scripts/with-postgres.sh $(GO) test -count=1 ./consent/... ./portals/... ./app/... ./console/... ./server/... ./receipts/... ./cmd/... ./deploy/... ./bench/... ./internal/...

# The cookie decoder and the configuration loader under the fuzzer: a short
# run in `make test`, a long one with `make fuzz` (FUZZTIME per target), whose
# results go in docs/testing.md.
FUZZTIME ?= 5m
test-fuzz:
	$(GO) run ./bench -mode fuzz -fuzztime 5s

fuzz:
	$(GO) run ./bench -mode fuzz -fuzztime $(FUZZTIME) -doc docs/testing.md

# Component tests in headless Chromium (go-app needs a DOM): wasm_test.go.
test-wasm: deps
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASMBROWSERTEST)" .

# End-to-end tests: the host and portal pages on two origins, Chromium
# driven through the DevTools protocol.
test-browser: $(WASM) $(CONSOLE_WASM) $(MINIFIED) deps
	$(GO) test -count=1 -timeout 15m ./e2e/...

# The performance benchmark (not part of `make test`): a phone on a slow
# network, Chromium driven through the DevTools protocol, ours against
# vanilla-cookieconsent on the same page, the host under load, and the
# statistics query on 10 million receipts in SQLite and in a throwaway
# PostgreSQL server, and Lighthouse (npm, pinned, in .build/lighthouse) on the
# portal pages and the host's demo and charter pages as a second opinion.
# Prints a table, writes bench/results/*.json, refreshes docs/performance.md.
bench: $(HOST) deps
	@scripts/ensure-peers.sh
	@scripts/ensure-lighthouse.sh
	scripts/with-postgres.sh $(GO) run ./bench -host $(HOST) -doc docs/performance.md

# The browser cases alone, printed (about 25 minutes; docs/performance.md is left as
# it is).
bench-browser: $(HOST) deps
	@scripts/ensure-peers.sh
	$(GO) run ./bench -mode browser -host $(HOST)

# Lighthouse alone (about 5 minutes): its table printed and refreshed in
# docs/performance.md.
bench-lighthouse: $(HOST) deps
	@scripts/ensure-peers.sh
	@scripts/ensure-lighthouse.sh
	$(GO) run ./bench -mode lighthouse -host $(HOST) -doc docs/performance.md

# The statistics query alone (no browser): 10 million receipts filled in
# SQLite and PostgreSQL, counted, Store.Stats timed on the counts and,
# in the same run, the receipts counted row by row as before the counts.
bench-stats:
	scripts/with-postgres.sh $(GO) run ./bench -mode stats -doc docs/performance.md

# The host under a 60 s load on loopback: embed.js, the WebAssembly and
# receipts at once, then the receipts counted (not part of `make test`).
load: $(HOST)
	$(GO) run ./bench -mode load -load 60s -host $(HOST) -doc docs/performance.md

clean:
	rm -rf bin .build $(DIST)/consent.wasm* $(DIST)/console.wasm* $(DIST)/wasm_exec.js $(MINIFIED)
