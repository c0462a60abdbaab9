#!/usr/bin/env bash
# Type-check (clippy, warnings are errors) the agent for macOS on Linux:
# aarch64-apple-darwin and x86_64-apple-darwin. Nothing is linked, but
# ring's build script compiles its C and assembly for the target; Debian's
# clang can do that with three stand-in headers for what Apple's SDK would
# provide (TargetConditionals.h, assert.h, string.h declarations only).
# Needs clang and the two Rust targets (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/../../.."
stub=$(mktemp -d)
trap 'rm -rf "$stub"' EXIT
cat >"$stub/TargetConditionals.h" <<'H'
#define TARGET_OS_MAC 1
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
#define TARGET_OS_IOS 0
#define TARGET_OS_SIMULATOR 0
H
cat >"$stub/assert.h" <<'H'
#define assert(x) ((void)0)
H
cat >"$stub/string.h" <<'H'
#include <stddef.h>
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
size_t strlen(const char *);
H
for t in aarch64-apple-darwin x86_64-apple-darwin; do
  v=${t//-/_}
  env "CC_$v=clang" "CFLAGS_$v=-ffreestanding -I$stub" \
    cargo clippy -p census-agent --target "$t" --all-targets --locked -- -D warnings
done
