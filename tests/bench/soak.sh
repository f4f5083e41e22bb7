#!/bin/sh
# Load and soak of the real binary (docs/reliability.md): wrk runs a mixed
# workload (tests/bench/wrk/soak.lua: 80 % reads of receptions, lists and
# traces, 20 % POSTed receptions, each with its own Idempotency-Key)
# against `pergamino serve` on a copy of a database, while the server's
# memory (VmRSS, anonymous, file-backed) and the WAL file's size are
# sampled.  Fails (exit 1) on any non-2xx answer or socket error, on
# anonymous memory growing 10 % or more from the end of the warm-up to the
# end, and on a WAL larger than WAL_MAX_MB.  Needs wrk, curl and sqlite3.
#
#   tests/bench/soak.sh [BUILD_DIR]        (default: build)
#
# Environment:
#   DURATION=1800  seconds of load       CONNS=8        wrk connections
#   THINK_MS=50    pause before each request, per connection (0: none)
#   SAMPLE_S=30    seconds between samples   WARMUP_S=300  growth baseline
#   THREADS=       server thread pool (default: the server's, one per CPU)
#   DB=FILE        serve a copy of FILE (BENCH_USER, BENCH_PASSWORD sign in;
#                  for `pergamino bench-data` files coop001-admin and its
#                  default password are assumed); default: the demo
#   WAL_MAX_MB=64  bound for the WAL file
#   OUT=DIR        keep samples.txt, wrk.txt and server.log there
# The 60-second load figure of docs/reliability.md:
#   DURATION=60 CONNS=64 THINK_MS=0 SAMPLE_S=5 tests/bench/soak.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
DURATION=${DURATION:-1800}
CONNS=${CONNS:-8}
THINK_MS=${THINK_MS:-50}
SAMPLE_S=${SAMPLE_S:-30}
WARMUP_S=${WARMUP_S:-300}
WAL_MAX_MB=${WAL_MAX_MB:-64}

for tool in wrk curl sqlite3; do
	command -v $tool >/dev/null || {
		echo "soak.sh: $tool is missing (apt-get install $tool)" >&2
		exit 2
	}
done
bin=$build/pergamino
[ -x "$bin" ] || { echo "soak.sh: build $bin first" >&2; exit 2; }
tmp=$(mktemp -d /var/tmp/pergamino-soak.XXXXXX)
out=${OUT:-$tmp}
mkdir -p "$out"
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
say() { echo "soak.sh: $*" >&2; }

# serve: start the server on $tmp/p.db; sets $pid and $url.
serve() {
	set -- serve --db "$tmp/p.db" --port 0 "$@"
	[ -n "${THREADS:-}" ] && set -- "$@" --threads "$THREADS"
	"$bin" "$@" >"$tmp/server.out" 2>>"$out/server.log" &
	pid=$!
	port=
	i=0
	while [ -z "$port" ]; do
		i=$((i + 1))
		if [ $i -gt 6000 ] || ! kill -0 $pid 2>/dev/null; then
			say "the server did not start"
			cat "$out/server.log" >&2
			exit 1
		fi
		sleep 0.01
		port=$(sed -n 's/^listening http:\/\/[^:]*:\([0-9]*\).*/\1/p' \
		    "$tmp/server.out")
	done
	url=http://127.0.0.1:$port
}

if [ -n "${DB:-}" ]; then
	sqlite3 "$DB" ".backup '$tmp/p.db'"
	user=${BENCH_USER:-coop001-admin}
	password=${BENCH_PASSWORD:-pergamino-bench-data}
	serve
else
	serve --demo
	user=coop-admin
	password=$(sed -n 's/.*username=coop-admin password=//p' "$tmp/server.out")
fi

# Sign in once, and make an API token for wrk.
login=$(curl -sf -c "$tmp/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
    "$url/api/v1/session")
csrf=$(echo "$login" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
viewer=$(echo "$login" | sed -n 's/^{"user":{"id":\([0-9]*\),.*/\1/p')
token=$(curl -sf -b "$tmp/cookies" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" -d '{"name":"soak"}' "$url/api/v1/tokens" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { say "cannot sign in as $user"; exit 1; }

# What to read, trace and write: the viewer's own organizations' rows.
q() { sqlite3 -readonly "$tmp/p.db" "$1"; }
scope="SELECT organization_id FROM user_scope WHERE user_id = $viewer"
q "SELECT id FROM receptions WHERE organization_id IN ($scope)
    ORDER BY random() LIMIT 1000" >"$tmp/ids"
producers=$(q "SELECT producer_id FROM receptions
    WHERE organization_id IN ($scope) GROUP BY producer_id
    ORDER BY count(*) DESC, producer_id LIMIT 50" | paste -sd, -)
producer=${producers%%,*}
lot=$(q "SELECT id FROM export_lots ORDER BY id LIMIT 1")
code=$(curl -s -o /dev/null -w '%{http_code}' \
    -H "Authorization: Bearer $token" "$url/api/v1/trace/export-lots/$lot")
[ "$code" = 200 ] || lot=
body=$(printf '{"producer_id":%s,"issued_on":"2025-06-30","status":"conventional","sacks":1,"gross_kg":"50.5","tare_kg":"0.5","humidity":"12.0","weighed_by":"Prueba","observations":"soak"}' "$producer")
code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -H "Idempotency-Key: soak-probe-$$" \
    -d "$body" "$url/api/v1/receptions")
[ "$code" = 201 ] || { say "a probe reception got $code"; exit 1; }
before=$(q 'SELECT count(*) FROM receptions')

# Samples: seconds, VmRSS, RssAnon (heap, stacks: what a leak grows),
# RssFile (pages of the memory-mapped database: grows with the data read,
# reclaimable), all kB; WAL and database bytes.
sample() {
	t0=$(date +%s)
	echo "t_s rss_kb anon_kb file_kb wal_bytes db_bytes" >"$out/samples.txt"
	while kill -0 "$pid" 2>/dev/null && [ ! -e "$tmp/stop" ]; do
		mem=$(awk '/^(VmRSS|RssAnon|RssFile)/ {printf "%s ", $2}' \
		    /proc/$pid/status)
		wal=$(stat -c %s "$tmp/p.db-wal" 2>/dev/null || echo 0)
		dbb=$(stat -c %s "$tmp/p.db")
		echo "$(($(date +%s) - t0)) $mem$wal $dbb" >>"$out/samples.txt"
		i=0
		while [ $i -lt "$SAMPLE_S" ] && [ ! -e "$tmp/stop" ]; do
			sleep 1
			i=$((i + 1))
		done
	done
}
sample &
sampler=$!

say "$CONNS connections, think $THINK_MS ms, ${DURATION}s against" \
    "${DB:-the demo} (pid $pid, $url)"
BENCH_TOKEN=$token BENCH_IDS_FILE=$tmp/ids BENCH_PRODUCERS=$producers \
    BENCH_LOT=$lot BENCH_BODY=$body BENCH_RUN=$$-$(date +%s) \
    BENCH_THINK_MS=$THINK_MS \
    wrk -t2 -c"$CONNS" -d"${DURATION}s" --timeout 10s --latency \
    -s "$here/wrk/soak.lua" "$url" >"$out/wrk.txt" || true
touch "$tmp/stop"
wait $sampler || true
after=$(q 'SELECT count(*) FROM receptions')
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=

result=$(grep '^RESULT' "$out/wrk.txt" || true)
[ -n "$result" ] || { cat "$out/wrk.txt" >&2; say "wrk gave no result"; exit 1; }
field() { echo "$result" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
cat "$out/samples.txt"
grep '^FIRST-BAD' "$out/wrk.txt" || true
echo "$result"
# The baseline is the first sample at or after WARMUP_S (the caches and
# the connections' statements are warm by then).
# The check is on anonymous memory; RSS is reported (it also counts the
# mapped database file, which grows with every reception written).
growth=$(awk -v w="$WARMUP_S" 'NR > 1 && $1 >= w && base == "" {base = $3; rbase = $2}
    NR > 1 {last = $3; rlast = $2}
    END {if (base == "") print "n/a"; else printf "anon %+.1f%% (%d -> %d kB), rss %+.1f%% (%d -> %d kB)\n",
        100 * (last - base) / base, base, last, 100 * (rlast - rbase) / rbase, rbase, rlast}' \
    "$out/samples.txt")
walmax=$(awk 'NR > 1 && $5 > m {m = $5} END {printf "%.1f", m / 1048576}' "$out/samples.txt")
rssmax=$(awk 'NR > 1 && $2 > m {m = $2} END {printf "%.1f", m / 1024}' "$out/samples.txt")
echo "receptions: $before before, $after after (+$((after - before)), writes answered 2xx are in it)"
echo "memory from ${WARMUP_S}s to the end: $growth; max RSS $rssmax MB"
echo "WAL: max $walmax MB (bound $WAL_MAX_MB MB)"

fail=0
[ "$(field bad)" = 0 ] || { say "non-2xx answers or socket errors: $(field bad)"; fail=1; }
case $growth in
n/a) ;;
*) echo "$growth" | awk '{exit !($2 + 0 < 10)}' ||
	{ say "anonymous memory grew 10 % or more"; fail=1; } ;;
esac
awk -v m="$walmax" -v b="$WAL_MAX_MB" 'BEGIN {exit !(m <= b)}' ||
    { say "the WAL grew past $WAL_MAX_MB MB"; fail=1; }
[ "$fail" = 0 ] && say "ok"
exit $fail
