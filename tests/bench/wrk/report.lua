-- Shared by the wrk scripts of tests/bench/run.sh: authentication from
-- the environment and one machine-readable result line.
--   BENCH_COOKIE  "pergamino_session=..." (a session, logged in once)
--   BENCH_TOKEN   an API token, sent as "Authorization: Bearer ..."
local cookie = os.getenv("BENCH_COOKIE")
local token = os.getenv("BENCH_TOKEN")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
if token and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- RESULT rps=... p50_ms=... p90_ms=... p99_ms=... requests=... bad=...
-- bad counts non-2xx/3xx answers, socket errors and timeouts: any of
-- them makes run.sh reject the run.
function done(summary, latency, requests)
  local e = summary.errors
  local bad = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "RESULT rps=%.1f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f requests=%d bad=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, summary.requests, bad))
end
