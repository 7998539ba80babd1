# Two commands do everything on a fresh Debian machine: `make run` and `make test`.
# Each installs missing Debian -dev packages (when root), builds, then runs or tests.

SWIFT        ?= swift
JOB          ?= Pipelines/sample.yml
DEB_PACKAGES := pkg-config zlib1g-dev libarchive-dev libxml2-dev libgmime-3.0-dev libsqlite3-dev libpff-dev libgsf-1-dev \
                libical-dev libpoppler-glib-dev pst-utils python3
RELEASE_BIN  := .build/release/disclose

.PHONY: all deps build build-release run test bench sampledata clean

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

bench: build-release
	python3 bench/bench.py --disclose $(RELEASE_BIN)

# Regenerates SampleData/ (deterministic; the output is committed).
sampledata:
	python3 tools/gen_sampledata.py

clean:
	rm -rf .build out bench-out
