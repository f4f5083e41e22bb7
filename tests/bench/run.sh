#!/bin/sh
# Benchmarks of Pergamino against its ceiling (docs/performance.md).
# Builds pergamino and tests/bench/ceiling, starts both on loopback over
# copies of one database, and runs wrk against each in turn, RUNS times,
# so every ratio compares figures measured in the same run.  Prints a
# table of medians.  Needs wrk, curl and sqlite3 (apt-get install wrk
# curl sqlite3).
#
#   tests/bench/run.sh [BUILD_DIR]          (default: build)
#
# Environment:
#   DURATION=10   seconds per wrk run        RUNS=3   runs per figure
#   THREADS=2     server thread pool (both)  CONNS=8  wrk connections
#   DB=FILE       trace this database (a copy) instead of the demo; then
#                 BENCH_USER and BENCH_PASSWORD sign in, and LOT_ID,
#                 PRODUCER_ID pick what to trace (default: the viewer's
#                 lot with the most deliveries, the viewer's producer
#                 with the most deliveries).
#   ONLY="reads traces writes startup"   a subset
#   KEEP=1        keep the temporary directory
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:-$root/build}
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
CONNS=${CONNS:-8}
ONLY=${ONLY:-"startup reads traces writes"}

for tool in wrk curl sqlite3; do
	command -v $tool >/dev/null || {
		echo "run.sh: $tool is missing (apt-get install $tool)" >&2
		exit 2
	}
done

cmake --build "$build" --target pergamino ceiling >/dev/null
bin=$build/pergamino
ceiling=$build/tests/ceiling
tmp=$(mktemp -d /var/tmp/pergamino-bench.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
export BENCH_LUA_DIR="$here/wrk"
results=$tmp/results
: >"$results"

now_ms() { date +%s%3N; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR==0) print "nan"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# start NAME CMD...: run CMD in the background, wait for its
# "listening http://HOST:PORT" line; sets $port and $pid.
start() {
	name=$1
	shift
	rm -f "$tmp/$name.out"
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.log" &
	pid=$!
	pids="$pids $pid"
	port=
	i=0
	while [ -z "$port" ]; do
		i=$((i + 1))
		if [ $i -gt 3000 ] || ! kill -0 $pid 2>/dev/null; then
			echo "run.sh: $name did not start" >&2
			cat "$tmp/$name.log" >&2
			exit 1
		fi
		sleep 0.01
		port=$(sed -n 's/^listening http:\/\/[^:]*:\([0-9]*\).*/\1/p' \
		    "$tmp/$name.out" 2>/dev/null)
	done
}

say() { echo "run.sh: $*" >&2; }

stop() {
	kill "$1" 2>/dev/null || true
	while kill -0 "$1" 2>/dev/null; do sleep 0.05; done
}

# wrkrun SCRIPT URL CONNS: one bounded wrk run; prints its RESULT line.
wrkrun() {
	threads=2
	[ "$3" -lt 2 ] && threads=1
	line=$(wrk -t$threads -c"$3" -d"${DURATION}s" --timeout 10s \
	    -s "$BENCH_LUA_DIR/$1" "$2" | grep '^RESULT')
	case $line in
	*" bad=0") ;;
	*) echo "run.sh: failed requests in $1 $2: $line" >&2 ;;
	esac
	echo "$line"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }

# record NAME VALUE: one sample of a figure.
record() { echo "$1 $2" >>"$results"; }
med() { awk -v k="$1" '$1 == k {print $2}' "$results" | median; }

# Memory of the server under load: max of VmRSS and anonymous memory.
sample_mem() {
	while kill -0 "$1" 2>/dev/null && [ ! -e "$tmp/stop-sampling" ]; do
		rss=$(awk '/^VmRSS/ {print $2}' /proc/$1/status)
		anon=$(awk '/^Anonymous/ {print $2}' /proc/$1/smaps_rollup)
		echo "$rss $anon" >>"$tmp/mem"
		sleep 0.5
	done
}

# ---- the database and the product ----
if [ -n "${DB:-}" ]; then
	cp "$DB" "$tmp/p.db"
	user=${BENCH_USER:?BENCH_USER is needed with DB}
	password=${BENCH_PASSWORD:?BENCH_PASSWORD is needed with DB}
	start pergamino "$bin" serve --db "$tmp/p.db" --port 0 --threads "$THREADS"
else
	start pergamino "$bin" serve --demo --db "$tmp/p.db" --port 0 --threads "$THREADS"
	user=coop-admin
	password=$(sed -n 's/.*username=coop-admin password=//p' "$tmp/pergamino.out")
fi
stop $pid
say "database ready; measuring startup"
# Startup: from exec to the first answered health check, on the now
# existing database (migrations already applied), median of RUNS.
for r in $(seq "$RUNS"); do
	t0=$(now_ms)
	start pergamino "$bin" serve --db "$tmp/p.db" --port 0 --threads "$THREADS"
	until curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null; do
		sleep 0.005
	done
	record startup_ms $(($(now_ms) - t0))
	[ "$r" = "$RUNS" ] || stop $pid
done
ppid=$pid
pport=$port
purl=http://127.0.0.1:$pport

# Sign in once; the session cookie for reads, an API token for writes.
login=$(curl -sf -c "$tmp/cookies" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" \
    "$purl/api/v1/session")
csrf=$(echo "$login" | sed -n 's/.*"csrf_token":"\([0-9a-f]*\)".*/\1/p')
viewer=$(echo "$login" | sed -n 's/^{"user":{"id":\([0-9]*\),.*/\1/p')
export BENCH_COOKIE="pergamino_session=$(awk '$6 == "pergamino_session" {print $7}' "$tmp/cookies")"
token=$(curl -sf -b "$tmp/cookies" -H 'Content-Type: application/json' \
    -H "X-CSRF-Token: $csrf" -d '{"name":"bench"}' "$purl/api/v1/tokens" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p')

# What to read and trace.
q() { sqlite3 -readonly "$tmp/p.db" "$1"; }
# 1000 receptions the viewer may read, at random: the ids read by id.
q "SELECT r.id FROM receptions r JOIN users u ON u.id = $viewer
    WHERE r.organization_id IN (SELECT organization_id FROM user_scope
    WHERE user_id = u.id) ORDER BY random() LIMIT 1000" >"$tmp/ids"
export BENCH_IDS_FILE="$tmp/ids"
receptions=$(q 'SELECT count(*) FROM receptions')
# The default lot and producer are the viewer's own (a lot out of its
# scope answers 404).
lot=${LOT_ID:-$(q "SELECT es.export_lot_id FROM export_lot_sources es
    JOIN export_lots el ON el.id = es.export_lot_id
     AND el.organization_id IN (SELECT organization_id FROM user_scope
     WHERE user_id = $viewer)
    JOIN process_settlements ls ON ls.id = es.process_settlement_id
    JOIN process_order_inputs i ON i.process_order_id = ls.process_order_id
    JOIN plant_receipts pr ON pr.id = i.plant_receipt_id
    JOIN dispatch_notes dn ON dn.dispatch_id = pr.dispatch_id
    GROUP BY es.export_lot_id ORDER BY count(*) DESC LIMIT 1")}
producer=${PRODUCER_ID:-$(q "SELECT producer_id FROM receptions
    WHERE organization_id IN (SELECT organization_id FROM user_scope
    WHERE user_id = $viewer) GROUP BY producer_id ORDER BY count(*) DESC, producer_id LIMIT 1")}
deliveries=$(curl -sf -b "$tmp/cookies" "$purl/api/v1/trace/export-lots/$lot" |
    grep -o '"reception_id"' | wc -l)
# The writer's producers, in random order: each POST delivers for the next.
q "SELECT p.id FROM producers p JOIN users u ON u.id = $viewer
    WHERE p.organization_id = u.organization_id ORDER BY random()
    LIMIT 1000" >"$tmp/producers"
reception_body='{"producer_id":{id},"issued_on":"2017-06-30","status":"conventional","sacks":1,"gross_kg":"50.5","tare_kg":"0.5","humidity":"12.0","weighed_by":"Prueba","observations":"bench"}'

# The ceiling on a copy of the same database (after the product's
# checkpoint, so the copy is whole).
stop $ppid
cp "$tmp/p.db" "$tmp/c.db"
start pergamino "$bin" serve --db "$tmp/p.db" --port "$pport" --threads "$THREADS"
ppid=$pid
start ceiling "$ceiling" serve "$tmp/c.db" 0 "$THREADS"
cpid=$pid
first=$(head -1 "$tmp/ids")
curl_=$(curl -sf -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/pk/$first")
[ "$curl_" = 200 ] || { echo "run.sh: ceiling does not answer" >&2; exit 1; }
curl_=$(curl -sf -o /dev/null -w '%{http_code}' -b "$tmp/cookies" "$purl/api/v1/receptions/$first")
[ "$curl_" = 200 ] || { echo "run.sh: product does not answer" >&2; exit 1; }
curl_url=http://127.0.0.1:$port

get() { # NAME URL PATH CONNS [ID_MAX]
	BENCH_PATH=$3 BENCH_ID_MIN=1 BENCH_ID_MAX=${5:-1} wrkrun get.lua "$2" "$4" >"$tmp/last"
	record "$1_rps" "$(field rps <"$tmp/last")"
	record "$1_p50" "$(field p50_ms <"$tmp/last")"
	record "$1_p99" "$(field p99_ms <"$tmp/last")"
}

case " $ONLY " in *" reads "* | *" traces "*)
	sample_mem $ppid &
	;;
esac
for r in $(seq "$RUNS"); do
	say "run $r of $RUNS: reads and traces"
	case " $ONLY " in *" reads "*)
		get ceil_pk "$curl_url" '/pk/{id}' "$CONNS"
		get prod_get "$purl" '/api/v1/receptions/{id}' "$CONNS"
		get ceil_page "$curl_url" '/page/50' "$CONNS"
		get prod_list "$purl" '/api/v1/receptions?limit=50' "$CONNS"
		;;
	esac
	case " $ONLY " in *" traces "*)
		get ceil_lot "$curl_url" "/trace/export-lots/$lot/$viewer" "$CONNS"
		get prod_lot "$purl" "/api/v1/trace/export-lots/$lot" "$CONNS"
		get ceil_lot1 "$curl_url" "/trace/export-lots/$lot/$viewer" 1
		get sql_lot1 "$curl_url" "/tracesql/export-lots/$lot/$viewer" 1
		get prod_lot1 "$purl" "/api/v1/trace/export-lots/$lot" 1
		get ceil_prod "$curl_url" "/trace/producers/$producer/$viewer" "$CONNS"
		get prod_prod "$purl" "/api/v1/trace/producers/$producer" "$CONNS"
		get ceil_prod1 "$curl_url" "/trace/producers/$producer/$viewer" 1
		get sql_prod1 "$curl_url" "/tracesql/producers/$producer/$viewer" 1
		get prod_prod1 "$purl" "/api/v1/trace/producers/$producer" 1
		;;
	esac
done
touch "$tmp/stop-sampling"
sleep 0.6
if [ -s "$tmp/mem" ]; then
	record rss_mb "$(awk '{if ($1 > m) m = $1} END {printf "%.1f", m / 1024}' "$tmp/mem")"
	record anon_mb "$(awk '{if ($2 > m) m = $2} END {printf "%.1f", m / 1024}' "$tmp/mem")"
fi

case " $ONLY " in *" writes "*)
	for r in $(seq "$RUNS"); do
		say "run $r of $RUNS: writes"
		for c in 1 16; do
			rm -f "$tmp"/commits.db*
			"$ceiling" commits "$tmp" "$DURATION" $c >"$tmp/last"
			record "raw_commit$c" "$(field rate <"$tmp/last")"
			BENCH_TOKEN=$token BENCH_COOKIE= BENCH_PATH=/api/v1/receptions \
			    BENCH_BODY=$reception_body BENCH_RUN=$r-$c \
			    BENCH_IDS_FILE=$tmp/producers \
			    wrkrun post.lua "$purl" $c >"$tmp/last"
			record "prod_post$c" "$(field rps <"$tmp/last")"
			record "prod_post${c}_p50" "$(field p50_ms <"$tmp/last")"
		done
	done
	;;
esac

# ---- the table ----
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
row() { # LABEL PRODUCT CEILING UNIT TARGET
	printf '%-44s %12s %12s %7s   %s\n' "$1" "$2$4" "$3$4" "$(ratio "$2" "$3")" "$5"
}
echo
echo "Pergamino vs ceiling: $(nproc) CPUs, pool $THREADS threads, wrk -c$CONNS," \
    "${DURATION}s x $RUNS runs, medians"
echo "database: ${DB:-demo} ($receptions receptions);" \
    "lot $lot ($deliveries deliveries), producer $producer, viewer $viewer"
printf '%-44s %12s %12s %7s   %s\n' figure pergamino ceiling ratio target
case " $ONLY " in *" reads "*)
	row "GET reception by id (req/s)" "$(med prod_get_rps)" "$(med ceil_pk_rps)" "" ">= 0.6"
	row "GET list page of 50 (req/s) vs PK" "$(med prod_list_rps)" "$(med ceil_pk_rps)" "" ""
	row "GET list page of 50 (req/s) vs page" "$(med prod_list_rps)" "$(med ceil_page_rps)" "" ""
	;;
esac
case " $ONLY " in *" traces "*)
	row "trace export lot, 1 client p50 (ms) vs SQL" "$(med prod_lot1_p50)" "$(med sql_lot1_p50)" "" "<= 2, < 10 ms"
	row "  the same vs SQL + Jansson" "$(med prod_lot1_p50)" "$(med ceil_lot1_p50)" "" ""
	row "trace export lot (req/s) vs SQL + Jansson" "$(med prod_lot_rps)" "$(med ceil_lot_rps)" "" ">= 0.8"
	row "trace producer, 1 client p50 (ms) vs SQL" "$(med prod_prod1_p50)" "$(med sql_prod1_p50)" "" "<= 2, < 10 ms"
	row "  the same vs SQL + Jansson" "$(med prod_prod1_p50)" "$(med ceil_prod1_p50)" "" ""
	row "trace producer (req/s) vs SQL + Jansson" "$(med prod_prod_rps)" "$(med ceil_prod_rps)" "" ">= 0.8"
	;;
esac
case " $ONLY " in *" writes "*)
	row "POST reception, 1 client (/s)" "$(med prod_post1)" "$(med raw_commit1)" "" ">= 0.8 of raw commits"
	row "POST reception, 16 clients (/s)" "$(med prod_post16)" "$(med raw_commit16)" "" "no collapse"
	row "POST reception p50 ms, 1 / 16 clients" "$(med prod_post1_p50)" "$(med prod_post16_p50)" "" ""
	;;
esac
row "startup to first health answer (ms)" "$(med startup_ms)" "-" "" "< 500"
[ -s "$tmp/mem" ] && row "under load: max RSS / anonymous (MB)" "$(med rss_mb)" "$(med anon_mb)" "" "anon <= 64"
echo "(the last row's second column is anonymous memory, not a ceiling)"
[ "${KEEP:-0}" = 1 ] && echo "kept: $tmp"
exit 0
