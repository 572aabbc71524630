-- stats.lua: prints exact wrk figures in one machine-readable line, for scripts/bench.
-- Used on its own (plain GET runs) and loaded by the other scripts with dofile().
-- Latencies are in microseconds, duration in microseconds, bytes as read.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "WRKSTATS requests=%.0f bytes=%.0f duration_us=%.0f status_errors=%.0f connect_errors=%.0f " ..
      "read_errors=%.0f write_errors=%.0f timeouts=%.0f p50_us=%.0f p99_us=%.0f mean_us=%.1f\n",
      summary.requests, summary.bytes, summary.duration, e.status, e.connect,
      e.read, e.write, e.timeout, latency:percentile(50), latency:percentile(99), latency.mean))
end
