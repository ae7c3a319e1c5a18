# `make test` installs everything the test suite needs (Go modules, a Python
# virtualenv with moto and cfn-lint, npm tools) and runs every test.
SHELL := /bin/bash
VENV := .venv
NPM_DIR := tools/npm
GO ?= go

export CRONBRIDGE_MOTO_SERVER := $(CURDIR)/$(VENV)/bin/moto_server
export CRONBRIDGE_CFN_LINT := $(CURDIR)/$(VENV)/bin/cfn-lint
export CRONBRIDGE_NPM_TOOLS := $(CURDIR)/$(NPM_DIR)/node_modules

.PHONY: test deps go-deps py-deps npm-deps build fuzz bench lint-actions image-test clean

test: deps
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 30m ./...

deps: go-deps py-deps npm-deps

go-deps:
	$(GO) mod download

# The stamp files make repeated runs fast; they are rebuilt when the pins change.
py-deps: $(VENV)/.stamp
$(VENV)/.stamp: tools/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $@

npm-deps: $(NPM_DIR)/node_modules/.stamp
$(NPM_DIR)/node_modules/.stamp: $(NPM_DIR)/package.json
	cd $(NPM_DIR) && npm install --no-audit --no-fund --silent
	chmod u+x $(NPM_DIR)/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
	touch $@

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags="-s -w" -o bin/cronbridge .

# FUZZTIME is per target. Go 1.26's fuzz coordinator can fail a run with a
# bare "context deadline exceeded" at the -fuzztime boundary
# (golang/go#75804, fixed in Go 1.27), so fuzzing uses the 1.27 toolchain,
# which the go command fetches from the module proxy. Minimization is
# bounded: a worker shrinking a large new input otherwise stalls the run
# for up to a minute.
FUZZTIME ?= 20s
FUZZ_TOOLCHAIN ?= go1.27.3
fuzz:
	@set -e; for f in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		pkg=./$$(dirname $${f#./}); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
			echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
			GOTOOLCHAIN=$(FUZZ_TOOLCHAIN) $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=5s $$pkg; \
		done; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

lint-actions:
	$(GO) tool actionlint

# The action's image, built with BuildKit and the legacy builder and run as
# the runner runs a docker action (README, "The image"). It starts its own
# Docker engine when run as root; base images are cached outside the repo.
image-test: py-deps npm-deps
	bash .ci/image-test.sh

clean:
	rm -rf bin $(VENV) $(NPM_DIR)/node_modules
