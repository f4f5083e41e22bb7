-- GET one path over keep-alive: BENCH_PATH, or BENCH_PATH with "{id}"
-- replaced in turn by the ids in BENCH_IDS_FILE (one a line), or else by
-- BENCH_ID_MIN..BENCH_ID_MAX (a different row each request, so the
-- benchmark is not one hot page).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH") or "/"
local lo = tonumber(os.getenv("BENCH_ID_MIN") or "1")
local hi = tonumber(os.getenv("BENCH_ID_MAX") or "1")
local ids = {}
local file = os.getenv("BENCH_IDS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    ids[#ids + 1] = line
  end
end
local n = 0
local templated = path:find("{id}", 1, true) ~= nil

function setup(thread)
  thread:set("offset", math.random(0, 1000000))
end

function request()
  if not templated then
    return wrk.format("GET", path)
  end
  local id
  if #ids > 0 then
    id = ids[((n + (offset or 0)) % #ids) + 1]
  else
    id = lo + ((n + (offset or 0)) % (hi - lo + 1))
  end
  n = n + 1
  return wrk.format("GET", (path:gsub("{id}", tostring(id))))
end
