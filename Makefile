# Kurier: build, run and test. `make help` lists the targets.
# Every target that needs tools runs `deps` first, which installs only what is
# missing (scripts/deps.sh).

SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GO          ?= go
GOBIN       := $(shell $(GO) env GOPATH)/bin
WAILS       := $(GOBIN)/wails
STATICCHECK := $(GOBIN)/staticcheck
# The Linux window uses WebKitGTK 4.1 (Debian 12, Ubuntu 24.04 and newer).
export GOFLAGS := -tags=webkit2_41
# The desktop app's own tags: its embedded world keeps its data in SQLite and
# files, so it leaves out the cluster's storage (PostgreSQL, S3; package
# internal/pgdb says how), which only kurier-backend needs.
DESKTOP_TAGS := webkit2_41,nocluster

VERSION     := $(shell scripts/version.sh)
# Reproducible: no build id, no symbol tables (with -trimpath, two builds of a commit are identical).
LDFLAGS     := -s -w -buildid= -X github.com/kurier/kurier/internal/buildinfo.Version=$(VERSION)
APP         := build/bin/kurier
BACKEND     := build/bin/kurier-backend
PHONE       := build/bin/kurier-phone
BACKEND_DATA ?= build/backend-data
ARTIFACTS   := build/test-artifacts
WEB_ADDR    ?= 127.0.0.1:8090
ARGS        ?=

GO_SOURCES  := $(shell find . -name '*.go' -not -path './frontend/*' -not -path './build/*') go.mod go.sum
UI_SOURCES  := $(shell find frontend/src frontend/public -type f) frontend/index.html \
               frontend/vite.config.ts frontend/svelte.config.js frontend/tsconfig.json frontend/package-lock.json

.PHONY: help deps build backend cluster run web test test-go test-faults test-frontend test-window test-web test-package package package-macos bench bench-window bench-web fuzz soak lint clean FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

deps: ## install whatever is missing (apt packages, Wails CLI, staticcheck, npm packages)
	@scripts/deps.sh

build: $(APP) $(BACKEND) $(PHONE) ## build the desktop app (build/bin/kurier) and the commands kurier-backend, kurier-phone

# The version stamp changes with every commit; relink when it does.
build/.version: FORCE
	@mkdir -p build
	@[ "$$(cat $@ 2>/dev/null)" = "$(VERSION)" ] || echo "$(VERSION)" > $@

frontend/dist/index.html: $(UI_SOURCES) | deps
	cd frontend && npm run build

$(APP): frontend/dist/index.html $(GO_SOURCES) wails.json build/appicon.png build/.version | deps
	GOFLAGS="$(GOFLAGS) -buildmode=pie" $(WAILS) build -m -s -skipbindings -trimpath -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o kurier
	@test -x $@

# Pure Go (no cgo): static, reproducible PIEs.
$(BACKEND) $(PHONE): build/bin/%: $(GO_SOURCES) build/.version | deps
	CGO_ENABLED=0 $(GO) build -trimpath -buildmode=pie -ldflags "$(LDFLAGS)" -o $@ ./cmd/$*

backend: deps $(BACKEND) ## run the whole backend on loopback; clients read build/backend-data/backend.json
	$(BACKEND) --data $(BACKEND_DATA) $(ARGS)

cluster: deps $(BACKEND) ## a local cluster for QA: a throwaway PostgreSQL and 3 backend nodes; writes build/cluster/backend.json; Ctrl+C stops all
	scripts/cluster.sh $(BACKEND)

run: deps $(APP) ## open Kurier (under a private Xvfb display when there is no desktop)
	scripts/run-desktop.sh $(APP) $(ARGS)

web: deps $(APP) ## serve Kurier to a browser at http://127.0.0.1:8090/ (WEB_ADDR=host:port)
	$(APP) --web $(WEB_ADDR) $(ARGS)

test: deps lint test-go test-faults test-frontend test-window test-web ## every check: lint, Go, faults, Vitest, window smoke test, web e2e
	@echo "make test: all suites passed"

# The fault tests load the machine for minutes (backend processes killed 100
# times, PostgreSQL failovers): they run alone, after the other Go tests,
# so that timing-sensitive tests elsewhere do not share the cores with them.
FAULT_TESTS := ^(TestClusterSurvivesSIGKILLs|TestFailoverToSynchronousStandbyLosesNothing|TestFailoverToAsynchronousStandbyLoses|TestEveryPromotionAfterACutTakesEffect)$$

test-go: deps ## Go unit and integration tests (race detector on), but for the fault tests; the desktop's build without cluster storage
	$(GO) test -race -count=1 -skip '$(FAULT_TESTS)' ./...
	$(GO) test -count=1 -tags $(DESKTOP_TAGS) -run 'NoCluster' ./backend/

test-faults: deps ## the cluster's fault tests, one package at a time: SIGKILLs of nodes, failovers to a standby (docs/backend.md)
	$(GO) test -race -count=1 -p 1 -v -run '$(FAULT_TESTS)' ./internal/pgtest/ ./cmd/kurier-backend/ ./backend/chat/ | grep -E '^(=== RUN|--- |ok|FAIL|PASS)|_test.go|^        '

test-frontend: deps ## Vitest unit tests of the UI
	cd frontend && npm test

test-window: deps $(APP) ## the real window under Xvfb: demo world, first frames, dark theme, narrow, pairing by the QR code read from a screenshot, a recorded voice message, every message action
	KURIER_BINARY=$(CURDIR)/$(APP) KURIER_ARTIFACTS=$(CURDIR)/$(ARTIFACTS) \
		$(GO) test -count=1 -v -run 'TestWindow' ./test/window/

test-web: deps $(APP) $(BACKEND) $(PHONE) ## web mode in headless Chromium: a real backend, two phones, the whole chat
	cd frontend && KURIER_BINARY=$(CURDIR)/$(APP) KURIER_BACKEND_BINARY=$(CURDIR)/$(BACKEND) \
		KURIER_PHONE_BINARY=$(CURDIR)/$(PHONE) KURIER_ARTIFACTS=$(CURDIR)/$(ARTIFACTS) node --test e2e/

package: deps $(APP) $(BACKEND) $(PHONE) ## every installer this machine can build, into build/dist/ (docs/packaging.md)
	scripts/package.sh $(APP) $(BACKEND) $(PHONE)

package-macos: ## the universal Kurier.app and .dmg (on a Mac only; docs/packaging.md)
	scripts/package-macos.sh

test-package: deps $(APP) $(BACKEND) $(PHONE) ## build the packages twice and compare, lintian, install/run/remove the .debs
	scripts/test-package.sh $(APP) $(BACKEND) $(PHONE)

soak: deps ## the hostile clients of docs/security.md against a real kurier-backend: each alone for SOAK_PHASE (default 30s), then all for SOAK_TIME (default 5m)
	KURIER_SOAK=$${SOAK_TIME:-5m} KURIER_SOAK_PHASE=$${SOAK_PHASE:-30s} $(GO) test -count=1 -v -run '^TestSoak$$' -timeout 60m ./cmd/kurier-backend/ | grep -E '^(soak:|--- |ok|FAIL)|soak_test'

fuzz: deps ## every go test -fuzz target for FUZZTIME each (default 60s; figures in docs/security.md)
	scripts/fuzz.sh

bench: deps ## Go benchmarks, then the UI's (figures go to docs/benchmarks.md)
	$(GO) test -run '^$$' -bench . -benchmem ./...
	cd frontend && npm run bench

bench-web: deps $(APP) $(BACKEND) $(PHONE) ## UI frame times from a Chromium trace: scroll through 10,000 messages, switch conversations 50 times (takes minutes; not part of make bench; docs/benchmarks.md)
	cd frontend && KURIER_BINARY=$(CURDIR)/$(APP) KURIER_BACKEND_BINARY=$(CURDIR)/$(BACKEND) \
		KURIER_PHONE_BINARY=$(CURDIR)/$(PHONE) KURIER_ARTIFACTS=$(CURDIR)/$(ARTIFACTS) node e2e/frames.bench.mjs

bench-window: deps $(APP) ## the real window's benchmarks under Xvfb: start to drawn list against WebKit's floor, switching conversations, memory of the process tree (docs/benchmarks.md)
	KURIER_BINARY=$(CURDIR)/$(APP) $(GO) test -run '^$$' -bench 'WindowStart|WebKitFloor' -benchtime 5x -timeout 30m ./test/window/
	KURIER_BINARY=$(CURDIR)/$(APP) $(GO) test -run '^$$' -bench WindowSwitch -benchtime 40x -timeout 30m ./test/window/
	KURIER_BINARY=$(CURDIR)/$(APP) $(GO) test -run '^$$' -bench WindowMemory -benchtime 1x -timeout 30m ./test/window/

lint: deps ## gofmt, go vet, staticcheck, svelte-check (TypeScript strict)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './frontend/*')); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags $(DESKTOP_TAGS) . ./internal/pgdb
	$(STATICCHECK) ./...
	cd frontend && npm run check

clean: ## remove build outputs (keeps installed tools and node_modules)
	rm -rf build/bin build/dist build/stage build/bench $(ARTIFACTS) build/.version
	find frontend/dist -mindepth 1 -not -name .gitkeep -delete
