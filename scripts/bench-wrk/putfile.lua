-- putfile.lua: PutFile with a fixed body, for scripts/bench.
-- The target file must already be locked with BENCH_PUT_LOCK (an unlocked non-empty
-- file answers 409). Every request writes a new version.
--   BENCH_WRK_DIR    folder of this script (to load stats.lua)
--   BENCH_PUT_BYTES  body size (default 102400)
--   BENCH_PUT_LOCK   the lock id the file is locked with
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/stats.lua")

local size = tonumber(os.getenv("BENCH_PUT_BYTES") or "102400")
local chunk = "Folio PutFile benchmark body 0123456789abcdef\n"
wrk.method = "POST"
wrk.body = string.rep(chunk, math.ceil(size / #chunk)):sub(1, size)
wrk.headers["X-WOPI-Override"] = "PUT"
wrk.headers["X-WOPI-Lock"] = os.getenv("BENCH_PUT_LOCK") or "bench-put-lock"
wrk.headers["Content-Type"] = "application/octet-stream"
