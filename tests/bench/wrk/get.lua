-- GET one path over keep-alive: BENCH_PATH, or BENCH_PATH with "{id}"
-- replaced by ids BENCH_ID_MIN..BENCH_ID_MAX in turn (a different row
-- each request, so the benchmark is not one hot page).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH") or "/"
local lo = tonumber(os.getenv("BENCH_ID_MIN") or "1")
local hi = tonumber(os.getenv("BENCH_ID_MAX") or "1")
local n = 0
local templated = path:find("{id}", 1, true) ~= nil

function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

function request()
  if not templated then
    return wrk.format("GET", path)
  end
  local id = lo + ((n + (offset or 0)) % (hi - lo + 1))
  n = n + 1
  return wrk.format("GET", (path:gsub("{id}", tostring(id))))
end
