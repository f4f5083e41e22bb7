#!/bin/sh
# Checks that an ELF executable carries the hardening the release build asks
# for (CMakeLists.txt): PIE, full RELRO (GOT read-only after relocation, no
# lazy binding), a non-executable stack, stack protector and _FORTIFY_SOURCE.
# The last two show in the imports: a protected function calls
# __stack_chk_fail on a smashed canary, and a fortified call site calls
# glibc's __*_chk variant (__memcpy_chk, __snprintf_chk...).
#
# Usage: check_hardening.sh BINARY   (exit 0 when every check holds)
set -u
bin=${1:?usage: check_hardening.sh BINARY}
READELF=${READELF:-readelf}
fail=0

header=$("$READELF" -hW "$bin") || exit 2
segments=$("$READELF" -lW "$bin") || exit 2
dynamic=$("$READELF" -dW "$bin") || exit 2
imports=$("$READELF" --dyn-syms -W "$bin" | awk '$7 == "UND" { print $8 }')
fortified=$(printf '%s\n' "$imports" | sed -n 's/^\(__[a-z0-9_]*_chk\)@.*/\1/p' |
	grep -v '^__stack_chk_fail$' | sort -u | tr '\n' ' ' | sed 's/ $//')

# has ERE TEXT: TEXT has a line matching ERE.
has() { printf '%s\n' "$2" | grep -Eq -- "$1"; }

# check NAME COMMAND...: report NAME as ok when COMMAND succeeds.
check() {
	name=$1
	shift
	if "$@"; then
		echo "ok   $name"
	else
		echo "FAIL $name"
		fail=1
	fi
}

check "PIE: ELF type DYN" has 'Type:[[:space:]]+DYN' "$header"
check "PIE: DT_FLAGS_1 has PIE" has '\(FLAGS_1\).*[[:space:]]PIE' "$dynamic"
check "RELRO: GNU_RELRO segment" has '^[[:space:]]*GNU_RELRO[[:space:]]' "$segments"
check "full RELRO: BIND_NOW in DT_FLAGS or NOW in DT_FLAGS_1" \
	has '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*[[:space:]]NOW' "$dynamic"
check "non-executable stack: GNU_STACK is RW, not RWE" \
	has '^[[:space:]]*GNU_STACK.*[[:space:]]RW[[:space:]]' "$segments"
check "stack protector: imports __stack_chk_fail" \
	has '^__stack_chk_fail@' "$imports"
check "_FORTIFY_SOURCE: imports __*_chk functions (${fortified:-none})" \
	test -n "$fortified"

exit $fail
