-- putobject.lua: a plain PUT of a fixed body (a presigned S3 PutObject URL), for
-- scripts/bench-s3: the gateway's own upload rate beside Folio's PutFile.
--   BENCH_WRK_DIR    folder of this script (to load stats.lua)
--   BENCH_PUT_BYTES  body size (default 102400)
dofile((os.getenv("BENCH_WRK_DIR") or ".") .. "/stats.lua")

local size = tonumber(os.getenv("BENCH_PUT_BYTES") or "102400")
local chunk = "Folio PutObject benchmark body 0123456789abcdef\n"
wrk.method = "PUT"
wrk.body = string.rep(chunk, math.ceil(size / #chunk)):sub(1, size)
wrk.headers["Content-Type"] = "application/octet-stream"
