-- The mixed workload of tests/bench/soak.sh (docs/reliability.md): out of
-- every 10 requests, 4 open a reception by id, 2 list a page of 50
-- receptions, 1 traces a producer, 1 traces an export lot (or a producer
-- again when BENCH_LOT is empty) and 2 POST a new reception, each with
-- its own Idempotency-Key, so 20 % of the requests are durable writes.
--   BENCH_TOKEN       API token (bearer: no CSRF dance for the writes)
--   BENCH_IDS_FILE    reception ids to open, one a line
--   BENCH_PRODUCERS   producer ids to trace, comma-separated
--   BENCH_LOT         export lot id to trace, or empty
--   BENCH_BODY        the reception to POST (JSON)
--   BENCH_RUN         makes the Idempotency-Keys unique across runs
--   BENCH_THINK_MS    pause before each request (per connection), 0: none
-- Every answer is counted by status; the RESULT line's bad= counts
-- everything that is not 2xx, plus socket errors and timeouts.
local token = os.getenv("BENCH_TOKEN") or ""
local body = os.getenv("BENCH_BODY") or "{}"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local lot = os.getenv("BENCH_LOT") or ""
local think = tonumber(os.getenv("BENCH_THINK_MS") or "0")
local ids, producers = {}, {}
local file = os.getenv("BENCH_IDS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    ids[#ids + 1] = line
  end
end
for p in (os.getenv("BENCH_PRODUCERS") or ""):gmatch("%d+") do
  producers[#producers + 1] = p
end
if #ids == 0 or #producers == 0 then
  error("soak.lua: BENCH_IDS_FILE and BENCH_PRODUCERS are needed")
end

local read_headers = { ["Authorization"] = "Bearer " .. token }
local wheel = { "get", "get", "list", "post", "get", "trace_producer",
  "get", "trace_lot", "list", "post" }
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

function init(args)
  n = 0
  offset = math.random(0, 1000000)
  -- answers by class; "other" keeps the first few unexpected statuses
  ok2xx, c4xx, c5xx, cother, writes, reads = 0, 0, 0, 0, 0, 0
  first_bad = ""
end

if think > 0 then
  function delay()
    return think
  end
end

function request()
  local kind = wheel[(n % #wheel) + 1]
  local k = n + offset
  n = n + 1
  if kind == "post" then
    writes = writes + 1
    return wrk.format("POST", "/api/v1/receptions", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = string.format("soak-%s-%d-%d", run, tid, n),
    }, body)
  end
  reads = reads + 1
  if kind == "get" then
    return wrk.format("GET", "/api/v1/receptions/" .. ids[(k % #ids) + 1],
      read_headers)
  elseif kind == "list" then
    return wrk.format("GET", "/api/v1/receptions?limit=50", read_headers)
  elseif kind == "trace_lot" and lot ~= "" then
    return wrk.format("GET", "/api/v1/trace/export-lots/" .. lot,
      read_headers)
  end
  return wrk.format("GET", "/api/v1/trace/producers/" ..
    producers[(k % #producers) + 1], read_headers)
end

function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok2xx = ok2xx + 1
  else
    if status >= 400 and status < 500 then
      c4xx = c4xx + 1
    elseif status >= 500 then
      c5xx = c5xx + 1
    else
      cother = cother + 1
    end
    if #first_bad < 200 then
      first_bad = first_bad .. status .. ":" .. (body or ""):sub(1, 120) .. " "
    end
  end
end

-- RESULT rps=... p50_ms=... p90_ms=... p99_ms=... max_ms=... requests=...
--   ok=... c4xx=... c5xx=... reads=... writes=... bad=...
function done(summary, latency, requests)
  local ok, e4, e5, eo, r, w = 0, 0, 0, 0, 0, 0
  local firsts = ""
  for _, t in ipairs(threads) do
    ok = ok + t:get("ok2xx")
    e4 = e4 + t:get("c4xx")
    e5 = e5 + t:get("c5xx")
    eo = eo + t:get("cother")
    r = r + t:get("reads")
    w = w + t:get("writes")
    firsts = firsts .. t:get("first_bad")
  end
  local e = summary.errors
  local bad = e4 + e5 + eo + e.connect + e.read + e.write + e.timeout
  if firsts ~= "" then
    io.write("FIRST-BAD " .. firsts .. "\n")
  end
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f" ..
    " requests=%d ok=%d c4xx=%d c5xx=%d reads=%d writes=%d" ..
    " sock_err=%d timeouts=%d bad=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    ok, e4, e5, r, w, e.connect + e.read + e.write, e.timeout, bad))
end
