# Thin wrapper over CMake: the README's two commands.
#   make demo   install what is missing, build, run platci over this repo's own trees
#   make check  install what is missing, build, run every test, then again under ASan+UBSan,
#               then check formatting (clang-format) and clang-tidy's findings
#   make format format every C file per .clang-format (once per wave, after the merges)
#   make fuzz   build the libFuzzer harnesses (clang, library instrumented) and run
#               each for FUZZ_SECONDS (default 20); reproducers in platci-reports/fuzz
BUILD ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 20
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

.PHONY: all deps build demo check test check-asan check-clang check-style format valgrind bench fuzz clean

all: build

deps:
	@scripts/install-deps

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLATCI_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo $(BUILD)/bin

test: build
	@scripts/npm-tools
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

check-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DPLATCI_WERROR=ON \
	  -DPLATCI_SANITIZE=address,undefined -DPLATCI_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE slow

# The warning set must stay clean with clang too (a build, no second test run).
check-clang: deps
	@if command -v clang >/dev/null 2>&1; then \
	  CC=clang cmake -S . -B build-clang -DPLATCI_WERROR=ON -DPLATCI_BUILD_BENCH=OFF $(CMAKE_FLAGS) && \
	  cmake --build build-clang -j $(JOBS); \
	else echo "check-clang: clang not installed, skipped"; fi

# Formatting and clang-tidy: both skip with a message when the tool is missing.
check-style: build
	scripts/check-format
	scripts/check-tidy $(BUILD)

format:
	scripts/check-format --fix

check: test check-asan check-clang check-style
	@echo "make check: all tests passed, plain and under ASan+UBSan; clang build clean; style checked"

# Every harness in fuzz/ for FUZZ_SECONDS each (scripts/fuzz); fails on any crash,
# leak or broken property, keeping the reproducer in platci-reports/fuzz/<harness>/.
fuzz: deps
	CC=clang cmake -S . -B $(BUILD_FUZZ) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPLATCI_WERROR=ON \
	  -DPLATCI_BUILD_FUZZERS=ON -DPLATCI_BUILD_CMD=OFF -DPLATCI_BUILD_TESTS=OFF \
	  -DPLATCI_BUILD_BENCH=OFF $(CMAKE_FLAGS)
	cmake --build $(BUILD_FUZZ) -j $(JOBS)
	scripts/fuzz $(BUILD_FUZZ) $(FUZZ_SECONDS)

valgrind: build
	scripts/valgrind-tests $(BUILD)

bench: build
	bench/run $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) build-clang platci-reports
