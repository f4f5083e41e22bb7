-- A request mix: BENCH_MIX is "weight path weight path ...", each path
-- may hold "{id}" (ids BENCH_ID_MIN..BENCH_ID_MAX in turn).  Example:
--   "70 /api/v1/receptions/{id} 20 /api/v1/receptions?limit=50
--    10 /api/v1/trace/producers/{id}"
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local lo = tonumber(os.getenv("BENCH_ID_MIN") or "1")
local hi = tonumber(os.getenv("BENCH_ID_MAX") or "1")
local wheel = {}
for w, p in (os.getenv("BENCH_MIX") or "1 /"):gmatch("(%d+)%s+(%S+)") do
  for _ = 1, tonumber(w) do
    wheel[#wheel + 1] = p
  end
end
local n = 0

function request()
  local p = wheel[(n % #wheel) + 1]
  local id = lo + (math.floor(n / #wheel) % (hi - lo + 1))
  n = n + 1
  return wrk.format("GET", (p:gsub("{id}", tostring(id))))
end
