-- header.lua: plain GETs with one extra header from BENCH_HEADER ("Name: value"), e.g. a
-- session cookie for the web pages; statistics as stats.lua prints them.
dofile(os.getenv("BENCH_WRK_DIR") .. "/stats.lua")

local name, value = os.getenv("BENCH_HEADER"):match("^([^:]+):%s*(.*)$")
wrk.headers[name] = value
