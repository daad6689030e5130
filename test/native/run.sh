#!/usr/bin/env bash
# Builds test/native/kernel_check.cc against the kernels and runs it:
#   natively (scalar vs avx2/avx512 when the CPU has them), and
#   for arm64 under qemu-aarch64 when a cross compiler and qemu-user are installed
#   (Debian: g++-aarch64-linux-gnu qemu-user), proving the NEON kernels.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
common=(-O2 -std=c++17 -ffp-contract=off -fno-math-errno -Inative)
families=(random gemm act)

build() { # $1 = compiler, $2 = output, $3.. = isa list
  local cxx=$1 bin=$2; shift 2
  local objs=()
  for isa in "$@"; do
    local flags; flags=$(node native/sources.js isa "$isa" flags)
    for fam in "${families[@]}"; do
      $cxx "${common[@]}" $flags -c "native/kernels/$fam-$isa.cc" -o "$out/$fam-$isa-$bin.o"
      objs+=("$out/$fam-$isa-$bin.o")
    done
  done
  $cxx "${common[@]}" -c native/core/random/philox.cc -o "$out/philox-$bin.o"
  $cxx "${common[@]}" test/native/kernel_check.cc "${objs[@]}" "$out/philox-$bin.o" -o "$out/$bin" ${LDEXTRA:-}
}

case "$(uname -m)" in
  x86_64) build g++ native scalar avx2 avx512 ;;
  aarch64|arm64) build g++ native scalar neon ;;
esac
"$out/native"

if [ "$(uname -m)" = x86_64 ] && command -v aarch64-linux-gnu-g++ >/dev/null && command -v qemu-aarch64 >/dev/null; then
  LDEXTRA=-static build aarch64-linux-gnu-g++ arm64 scalar neon
  qemu-aarch64 "$out/arm64"
else
  echo "arm64 check skipped: needs aarch64-linux-gnu-g++ and qemu-aarch64"
fi
