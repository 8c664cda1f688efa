# Cordon: the two commands are `make demo` and `make test`. Both install what is missing.
SHELL := /bin/bash
SWIFT ?= swift
APT_PACKAGES := libzmq3-dev libgeos-dev libsqlite3-dev libssl-dev pkg-config libjs-leaflet
# The console's browser tests: headless Chromium and CJK fonts for the zh-CN labels.
TEST_APT_PACKAGES := chromium fonts-noto-cjk python3-pip gdb
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA ?= demo-data
SITE ?= geofences/demo-park.geojson

.PHONY: all deps test-deps build release test demo bench allocations fuzz fuzz-corpus soak clean

all: build

# Installs the Debian packages of $(1) that are absent (dpkg-query says which).
define apt_install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
endef

deps:
	$(call apt_install_missing,$(APT_PACKAGES))

# What the tests need beyond the build: Chromium, prometheus-client (its parser reads /metrics) and
# gmssl (an SM4 independent of OpenSSL, for the `mem` profile's receiver; PyPI only).
test-deps: deps
	$(call apt_install_missing,$(TEST_APT_PACKAGES))
	@python3 -c "import prometheus_client" 2>/dev/null || python3 -m pip install -q prometheus-client 2>/dev/null || \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-prometheus-client
	@python3 -c "import gmssl" 2>/dev/null || python3 -m pip install -q gmssl 2>/dev/null || \
	  python3 -m pip install -q --break-system-packages gmssl

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# The console's tests (a browser, real servers) run after the others, so that Chromium does not
# compete with the timing tests (ping under a flood) for the two cores. Each run is watched:
# one that hangs (ten times a normal run here) is stopped with the tests that never finished
# and every thread's stack, instead of running until CI gives up.
test: test-deps
	$(SWIFT) build --build-tests
	tools/test-watchdog.sh 1200 $(SWIFT) test --skip-build --skip CordonHTTPTests
	tools/test-watchdog.sh 600 $(SWIFT) test --skip-build --filter CordonHTTPTests
	@$(MAKE) --no-print-directory allocations

demo: release
	@tools/demo.sh "$(SITE)" "$(DATA)"

# End to end over tcp loopback on ../shared/bench's workload (generated once into .bench/).
BENCH_POSITIONS ?= 200000
bench: release
	@[ -f .bench/park-$(BENCH_POSITIONS)/positions.jsonl ] || python3 ../shared/bench/genpark.py --positions $(BENCH_POSITIONS) --out .bench/park-$(BENCH_POSITIONS)
	.build/release/cordon bench --workload .bench/park-$(BENCH_POSITIONS)

# Heap allocations of positions that change nothing, counted by ordo-one/malloc-interposer in a
# release build (docs/performance.md); non-zero exit when any such position allocates. Part of
# `make test`: the optimiser is what keeps these off the heap, so a debug build cannot say.
allocations: deps
	$(SWIFT) build -c release --product allocation-probe
	.build/release/allocation-probe fixtures/scenario-park.geojson

# libFuzzer harnesses (docs/fuzzing.md), built in .build-fuzz; each runs FUZZ_SECONDS on its seeds
# in fuzz/corpus. Findings go to fuzz/findings/ (ignored by git); non-zero exit if any.
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzz.sh

# Rewrites fuzz/corpus and fuzz/dict from the fixtures and the docs.
fuzz-corpus:
	python3 tools/make-fuzz-corpus.py

# cordon serve (release) for SOAK_MINUTES under steady load, bad input, reloads and a muster;
# prints RSS, open files and latency at the start and the end as one JSON object (docs/fuzzing.md).
SOAK_MINUTES ?= 10
soak: release
	@$(MAKE) --no-print-directory deps APT_PACKAGES=python3-zmq
	SOAK_MINUTES=$(SOAK_MINUTES) /usr/bin/python3 tools/soak.py --cordon .build/release/cordon

clean:
	rm -rf .build .build-fuzz $(DATA)
