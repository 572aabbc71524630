-- putfile.lua: PutFile with a fixed body, for scripts/bench.
-- Run with as many threads as connections (wrk -tK -cK): each thread then has one
-- connection and its own file. Every target file must already be locked with
-- BENCH_PUT_LOCK (an unlocked non-empty file answers 409); every request writes a version.
--   BENCH_WRK_DIR    folder of this script (to load stats.lua)
--   BENCH_PUT_BYTES  body size (default 102400)
--   BENCH_PUT_LOCK   the lock id the files are locked with
--   BENCH_PUT_PATHS  space-separated request paths (.../contents?access_token=...), one per thread
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/stats.lua")

local size = tonumber(os.getenv("BENCH_PUT_BYTES") or "102400")
local chunk = "Folio PutFile benchmark body 0123456789abcdef\n"
local body = string.rep(chunk, math.ceil(size / #chunk)):sub(1, size)
local lock = os.getenv("BENCH_PUT_LOCK") or "bench-put-lock"
local paths = {}
for p in string.gmatch(os.getenv("BENCH_PUT_PATHS") or "", "%S+") do
   paths[#paths + 1] = p
end
local threads = 0

function setup(thread)
   if #paths == 0 then error("BENCH_PUT_PATHS is empty") end
   threads = threads + 1
   thread:set("put_path", paths[(threads - 1) % #paths + 1])
end

function request()
   return wrk.format("POST", put_path, {
      ["X-WOPI-Override"] = "PUT",
      ["X-WOPI-Lock"] = lock,
      ["Content-Type"] = "application/octet-stream",
   }, body)
end
