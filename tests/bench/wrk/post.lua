-- Durable writes: POST BENCH_PATH with body BENCH_BODY, each request
-- with its own Idempotency-Key (thread number and counter), so every
-- request is a new document: numbering, audit event and idempotency
-- record in one transaction, acknowledged after the commit's fsync.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH") or "/api/v1/receptions"
local body = os.getenv("BENCH_BODY") or "{}"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local threads = 0
local n = 0
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function request()
  n = n + 1
  wrk.headers["Idempotency-Key"] =
    string.format("bench-%s-%d-%d", run, tid or 0, n)
  return wrk.format("POST", path, nil, body)
end
