#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, ASan + UBSan, build-fuzz/) and run
# each for SECONDS (default 60) from the committed seeds.  Prints the
# inputs executed and the coverage of each; exits non-zero if any harness
# found a crash, a leak, undefined behaviour, a timeout or ran out of
# memory (the input is kept in build-fuzz/fuzz-out/).
#
#   tests/fuzz/run.sh [SECONDS] [HARNESS...]     e.g. run.sh 600 fuzz_http
#
# New inputs found go to build-fuzz/fuzz-out/<harness>/, never into the
# committed corpus: copy the interesting ones by hand (after `-merge=1`).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_fields fuzz_pipeline fuzz_http)
build=${FUZZ_BUILD_DIR:-build-fuzz}
out=$build/fuzz-out

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DAPP_FUZZ=ON \
		-DAPP_E2E=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build "$build" -j"$(nproc)" --target "${harnesses[@]}"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}
status=0
for h in "${harnesses[@]}"; do
	mkdir -p "$out/$h"
	log=$out/$h.log
	rc=0
	"$build/tests/fuzz/$h" "$out/$h" "tests/fuzz/corpus/$h" \
		-dict="tests/fuzz/$h.dict" -max_total_time="$seconds" \
		-timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
		-print_final_stats=1 -artifact_prefix="$out/$h-" \
		>"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log")
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
	echo "$h: ${seconds}s, ${execs:-?} inputs, ${rate:-?} exec/s, ${cov:-no coverage line}, peak RSS ${rss:-?} MB, exit $rc"
	if [ "$rc" -ne 0 ] ||
		grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: UndefinedBehaviorSanitizer' "$log"; then
		echo "$h FAILED; the input is in $out/$h-*; end of $log:" >&2
		tail -n 60 "$log" >&2
		status=1
	fi
done
exit $status
