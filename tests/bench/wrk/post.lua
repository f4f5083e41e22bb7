-- Durable writes: POST BENCH_PATH with body BENCH_BODY, each request
-- with its own Idempotency-Key (thread number and counter), so every
-- request is a new document: numbering, audit event and idempotency
-- record in one transaction, acknowledged after the commit's fsync.
-- With BENCH_IDS_FILE, "{id}" in the body is replaced in turn by its ids
-- (one a line): a campaign's deliveries come from many producers, and a
-- reception sums its producer's campaign, so one producer delivering
-- thousands of times would measure an artefact of the benchmark.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH") or "/api/v1/receptions"
local body = os.getenv("BENCH_BODY") or "{}"
local run = os.getenv("BENCH_RUN") or tostring(os.time())
local threads = 0
local n = 0
local ids = {}
local file = os.getenv("BENCH_IDS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    ids[#ids + 1] = line
  end
end
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
  thread:set("offset", math.random(0, 1000000))
end

function request()
  n = n + 1
  wrk.headers["Idempotency-Key"] =
    string.format("bench-%s-%d-%d", run, tid or 0, n)
  if #ids == 0 then
    return wrk.format("POST", path, nil, body)
  end
  local id = ids[((n + (offset or 0)) % #ids) + 1]
  return wrk.format("POST", path, nil, (body:gsub("{id}", id)))
end
