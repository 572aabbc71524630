-- lockunlock.lua: alternating LOCK / UNLOCK, for scripts/bench.
-- Run with as many threads as connections (wrk -tK -cK): each thread then has one
-- connection and its own file, so its requests go strictly LOCK, UNLOCK, LOCK...
-- and every answer should be 200. Pairs per second = 2xx responses / 2 / seconds.
--   BENCH_WRK_DIR     folder of this script (to load stats.lua)
--   BENCH_LOCK_PATHS  space-separated request paths (with ?access_token=...), one per thread
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/stats.lua")

local paths = {}
for p in string.gmatch(os.getenv("BENCH_LOCK_PATHS") or "", "%S+") do
   paths[#paths + 1] = p
end
local threads = 0

function setup(thread)
   if #paths == 0 then error("BENCH_LOCK_PATHS is empty") end
   threads = threads + 1
   thread:set("lock_path", paths[(threads - 1) % #paths + 1])
   thread:set("lock_id", "bench-lock-" .. threads)
end

-- The next operation flips when a response arrives, not when request() runs: wrk calls
-- request() once more on the first thread before the run (to check for pipelining).
local next_op = "LOCK"
function request()
   return wrk.format("POST", lock_path, { ["X-WOPI-Override"] = next_op, ["X-WOPI-Lock"] = lock_id }, "")
end

function response(status, headers, body)
   next_op = (next_op == "LOCK") and "UNLOCK" or "LOCK"
end
