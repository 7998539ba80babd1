# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
# Each installs missing Debian -dev packages (when root), builds, then runs or tests.

SWIFT        ?= swift
JOB          ?= Pipelines/sample.yml
DEB_PACKAGES := pkg-config zlib1g-dev libarchive-dev libxml2-dev libgmime-3.0-dev libsqlite3-dev libpff-dev libgsf-1-dev \
                libical-dev libpoppler-glib-dev pst-utils python3
RELEASE_BIN  := .build/release/disclose

.PHONY: all deps build build-release run test bench sampledata clean fuzz fuzz-build

all: build

deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "missing Debian packages:$$missing — run as root, or: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

build-release: deps
	$(SWIFT) build -c release

# The sample job: SampleData → out/PROD001 (+ out/PROD001.zip), then verify it.
run: build-release
	$(RELEASE_BIN) run $(JOB)
	$(RELEASE_BIN) verify out/PROD001 --job $(JOB)

test: build
	$(SWIFT) test

# BENCH_ARGS picks sections and sizes, e.g. BENCH_ARGS="--only pipeline --pipeline-sizes 200,1000,5000".
bench: build-release
	python3 bench/bench.py --disclose $(RELEASE_BIN) $(BENCH_ARGS)

# Regenerates SampleData/ (deterministic; the output is committed).
sampledata:
	python3 tools/gen_sampledata.py

# libFuzzer harnesses (docs/fuzzing.md). Each target runs FUZZ_SECONDS from seeds picked out of
# SampleData and the shared corpora into a temporary folder; findings land in fuzz-out/<target>/
# and fail the make. One target at a time: libFuzzer runs one target per process.
FUZZ_SECONDS ?= 120
FUZZ_TARGETS ?= readers mime rtf tnef mapi printed chat normalize
FUZZ_CORPORA ?= ../shared/corpora
FUZZ_OUT     ?= fuzz-out
FUZZ_FLAGS   ?=
FUZZ_BUILD   := DISCLOSE_FUZZ=1 $(SWIFT) build -c release --scratch-path .build-fuzz \
                -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library

fuzz-build: deps
	$(FUZZ_BUILD) --product disclose-fuzz

fuzz: fuzz-build
	@rm -rf $(FUZZ_OUT); mkdir -p $(FUZZ_OUT); corpus=$$(mktemp -d); bin=$$($(FUZZ_BUILD) --show-bin-path)/disclose-fuzz; \
	for t in $(FUZZ_TARGETS); do \
	  python3 tools/fuzz_seeds.py $$t $$corpus/$$t SampleData $(FUZZ_CORPORA); \
	  mkdir -p $(FUZZ_OUT)/$$t; \
	  FUZZ_TARGET=$$t SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 $$bin \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_OUT)/$$t/ $(FUZZ_FLAGS) $$corpus/$$t > $(FUZZ_OUT)/$$t.log 2>&1; \
	  awk -v t=$$t '/^stat::number_of_executed_units/ {n=$$2} /^stat::average_exec_per_sec/ {r=$$2} \
	    /^stat::peak_rss_mb/ {m=$$2} END {printf "%-10s %10s execs %6s exec/s %5s MB peak\n", t, n, r, m}' $(FUZZ_OUT)/$$t.log; \
	done; rm -rf $$corpus; \
	found=$$(find $(FUZZ_OUT) -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' \)); \
	if [ -n "$$found" ]; then echo "fuzz findings (see docs/fuzzing.md to turn them into regression inputs):"; echo "$$found"; exit 1; fi

clean:
	rm -rf .build .build-fuzz out bench-out fuzz-out
