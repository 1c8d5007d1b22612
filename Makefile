# policykg — two commands: `make run` and `make test`.
# Both install the Debian packages the build and the tests need, only when missing.

CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STORE ?= policykg-store
TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)
# Incremental state pays off only when the same tree is rebuilt again and again; on a clean
# clone it is gigabytes written once. Set CARGO_INCREMENTAL=1 to keep it.
export CARGO_INCREMENTAL ?= 0

.PHONY: run test bench fuzz load deps build check-format lint unit-tests clean

# Debian packages: libclang-dev for the RocksDB bindings of the store, graphviz for rendering,
# a CJK font so that Chinese labels render in PNG/PDF, raptor2-utils (rapper) as a second RDF
# parser in the tests, Chromium and chromedriver for the browser test (and to print the PDF
# fixtures), poppler-utils (pdftotext, pdftoppm) to read PDF documents; and, where Python is
# present, NetworkX (a second GraphML reader) and SPARQLWrapper (a SPARQL client).
deps:
	@missing=""; \
	dpkg -s libclang-dev >/dev/null 2>&1 || missing="$$missing libclang-dev"; \
	command -v dot >/dev/null 2>&1 || missing="$$missing graphviz"; \
	command -v rapper >/dev/null 2>&1 || missing="$$missing raptor2-utils"; \
	{ command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; } || missing="$$missing fonts-noto-cjk"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium chromium-driver"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import networkx, SPARQLWrapper' 2>/dev/null; then \
	  python3 -m pip install --quiet networkx sparqlwrapper || echo "networkx/SPARQLWrapper not installed: their checks are skipped"; \
	fi

# The binaries are built as the tests build them (with the tests' dependencies in the
# feature resolution), so that `make test` and `make run` compile RocksDB once between them.
build: deps
	$(CARGO) build --workspace --bins --tests

# Stores the documents of data/docs/ (when the store is empty) and serves the explorer at
# http://127.0.0.1:7878 (BIND=… to change). Queries run in worker processes that the time
# limit kills; SERVE_FLAGS= (empty) keeps them in the server, e.g. to take updates with
# POLICYKG_UPDATE_TOKEN set.
BIND ?= 127.0.0.1:7878
SERVE_FLAGS ?= --isolate-queries
run: build
	$(TARGET_DIR)/debug/policykg --store $(STORE) serve --bind $(BIND) --data data/docs $(SERVE_FLAGS)

check-format:
	$(CARGO) fmt --all --check

# Clippy with the workspace's lints (Cargo.toml), and the documentation of every crate with
# its links checked.
lint: deps
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

# Every crate's tests; then the tests that serve the views crate's test-only view through
# the web and the command line (the feature adds it; the program never has it).
unit-tests: deps
	$(CARGO) test --workspace
	$(CARGO) test -p policykg -p policykg-views --lib --features policykg/view-fixture

test: check-format lint unit-tests

# Speed as ratios (not a test): the endpoint against the library, cached against new drawings.
bench: deps
	$(CARGO) bench --bench explorer

# Fuzzing, not part of `make test`: each target of fuzz/ for SECS seconds with AFL++
# (cargo-afl, stable toolchain), then its figures. The first run installs cargo-afl, builds
# AFL++ and compiles RocksDB once more with the fuzzing instrumentation (about half an hour
# on two cores). Findings go to fuzz/out/; see fuzz/README.md.
SECS ?= 600
fuzz: deps
	@command -v cargo-afl >/dev/null 2>&1 || $(CARGO) install --locked cargo-afl
	@[ -d "$$HOME/.local/share/afl.rs" ] || $(CARGO) afl config --build
	CARGO_TARGET_DIR=$${CARGO_TARGET_DIR:-$(CURDIR)/fuzz/target} fuzz/run.sh $(SECS)

# A bounded load on loopback (DOCS generated documents, CLIENTS readers, a writer and a
# checker for SECONDS), not part of `make test`: see benches/load.py and RELIABILITY.md.
load: deps
	$(CARGO) build --release --workspace --bins
	POLICYKG=$(TARGET_DIR)/release/policykg python3 benches/load.py

clean:
	$(CARGO) clean
