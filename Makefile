# goxmtp — every build, test and measurement goes through this file. `make help` lists targets.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
GO ?= go
MODULE := github.com/goxmtp/goxmtp
BIN := $(CURDIR)/.bin
BUILD := $(CURDIR)/build
WASM := js/dist/goxmtp.wasm
GOROOT_WASM := $(shell $(GO) env GOROOT)/lib/wasm
WASM_ENV := GOOS=js GOARCH=wasm PATH="$(GOROOT_WASM):$$PATH"
STAGE := .ci/stage.sh
FUZZTIME ?= 2s
PROTO_FILES = $(shell find proto -name '*.proto' | sort)
# Packages whose tests also run under js/wasm in Node: everything portable that has tests.
WASM_TEST_PKGS = $(shell GOOS=js GOARCH=wasm $(GO) list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./mls/... ./core/... ./proto/... ./wasm/jsutil | grep -v -e /core/sqlitestore -e /core/connectapi)

.PHONY: help
## help: list the targets
help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

.PHONY: test
## test: install what is missing, build, then run native, wasm, fuzz and browser tests (each stage timed)
test:
	@$(STAGE) dependencies $(MAKE) -s deps
	@$(STAGE) build $(MAKE) -s build
	@$(STAGE) native-tests $(MAKE) -s test-native
	@$(STAGE) wasm-tests $(MAKE) -s test-wasm
	@$(STAGE) fuzz $(MAKE) -s fuzz
	@$(STAGE) browser-tests $(MAKE) -s test-browser

.PHONY: deps
## deps: install Debian's chromium and protoc when missing, the npm workspace and Go modules
deps:
	@.ci/deps.sh

.PHONY: build
## build: vet and build every Go package natively and for js/wasm, and the browser module
build: wasm
	$(GO) vet ./...
	$(GO) build ./...
	GOOS=js GOARCH=wasm $(GO) vet ./mls/... ./core/... ./proto/... ./wasm/... ./idbstore/...

.PHONY: wasm
## wasm: build the browser module into js/dist and print its size raw, gzip -9 and brotli -q 11
wasm:
	@mkdir -p js/dist
	@cp "$(GOROOT_WASM)/wasm_exec.js" js/dist/wasm_exec.js
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o $(WASM) ./wasm
	@node js/scripts/size.mjs $(WASM) | node -e 'const s=JSON.parse(require("fs").readFileSync(0,"utf8"));console.log(`$(WASM): raw $${s.raw} B, gzip -9 $${s.gzip} B, brotli -q 11 $${s.brotli} B`)'

.PHONY: wasm-testhooks
## wasm-testhooks: build a test-only module with the goxmtp_testhooks tag into build/testhooks (never js/dist)
wasm-testhooks:
	@mkdir -p $(BUILD)/testhooks
	GOOS=js GOARCH=wasm $(GO) build -tags goxmtp_testhooks -trimpath -ldflags='-s -w' -o $(BUILD)/testhooks/goxmtp.wasm ./wasm

.PHONY: test-native
## test-native: Go tests natively, and core's forbidden-commit tests with the goxmtp_testhooks tag
test-native:
	$(GO) test ./...
	$(GO) test -tags goxmtp_testhooks ./core -run Forbidden

.PHONY: test-wasm
## test-wasm: Go tests of the portable packages and wasm/jsutil under GOOS=js GOARCH=wasm in Node
test-wasm:
	$(WASM_ENV) $(GO) test $(WASM_TEST_PKGS)

.PHONY: fuzz
## fuzz: run every fuzz target briefly (FUZZTIME each, default 2s)
fuzz:
	@FUZZTIME=$(FUZZTIME) .ci/fuzz.sh

.PHONY: test-browser
## test-browser: browser tests in headless Chromium (the npm package as an app uses it; libxmtp peer)
test-browser: wasm wasm-testhooks
	node --test --test-reporter=spec --test-concurrency=1 $$(find js/test -name '*.test.mjs' | sort)
	node node/peertest/run.mjs

.PHONY: bench
## bench: Go benchmarks natively and in js/wasm, then the browser benchmarks (js/bench) in headless Chromium, medians in build/bench.json; knobs BENCHCOUNT (5), BENCHTIME (1s), BENCHQUICK=1, BENCHONLY=regexp (BENCHMARKS.md)
bench: wasm
	@mkdir -p $(BUILD)
	@.ci/bench.sh $(BUILD)/bench.json

.PHONY: ledger
## ledger: rebuild the wasm size ledger (wasm/SIZE-LEDGER.md): brotli cost of each heavy dependency
ledger:
	@.ci/ledger.sh wasm/SIZE-LEDGER.md

.PHONY: demo
## demo: build everything and serve the demo app on http://localhost:8080
demo: deps wasm
	node demo/serve.mjs

.PHONY: node
## node: run the local XMTP node (gRPC on 5556, gRPC-web on 5557; data in data/node; NODE_FLAGS adds flags)
node:
	$(GO) run ./node/cmd/xmtpnode -data-dir data/node $(NODE_FLAGS)

.PHONY: proto
## proto: regenerate the Go code of every .proto file with Debian's protoc and the pinned plugins
proto: $(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go
	@PATH="$(BIN):$$PATH" protoc -I proto \
	  --go_out=$(or $(PROTO_OUT),.) --go_opt=module=$(MODULE) \
	  --connect-go_out=$(or $(PROTO_OUT),.) --connect-go_opt=module=$(MODULE) \
	  $(PROTO_FILES)

$(BIN)/protoc-gen-go $(BIN)/protoc-gen-connect-go: go.mod
	@mkdir -p $(BIN) && GOBIN=$(BIN) $(GO) install tool
