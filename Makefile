# The two commands of the README, plus the build, the sanitizer build and the benchmarks.
# Every target installs what it needs first (scripts/setup.sh is idempotent).
BUILD ?= build
DB ?= var/yiwang.db
PORT ?= 8080

.PHONY: all setup build run demo test test-unit test-api test-e2e test-fuzz test-asan bench clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j2

demo: build
	@mkdir -p var
	@./$(BUILD)/yiwang --db $(DB) demo

run: demo
	@./$(BUILD)/yiwang --db $(DB) serve --port $(PORT)

test: build
	@bash tests/run-all.sh

bench: build
	@bash bench/run.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz
