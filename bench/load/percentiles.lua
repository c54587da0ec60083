-- Prints one line after a wrk run: requests/s and the latency percentiles the dashboard benchmark reports.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format("result %.1f %.2f %.2f %.2f %d %d\n",
    summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.status))
end
