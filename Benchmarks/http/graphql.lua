-- wrk script: POSTs GraphQL requests read from the file named by GRAPHQL_REQUESTS (one JSON
-- body per line), round-robin, so that each request asks for a different product.
-- Reports p50/p90/p99 latency at the end.
local bodies = {}
local counter = 0

function init(args)
  local path = os.getenv("GRAPHQL_REQUESTS")
  for line in io.lines(path) do
    if #line > 0 then table.insert(bodies, line) end
  end
  if #bodies == 0 then error("no request bodies in " .. path) end
end

function request()
  counter = counter + 1
  local body = bodies[(counter % #bodies) + 1]
  return wrk.format("POST", "/graphql", { ["Content-Type"] = "application/json" }, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests: %d, errors: status %d, timeouts %d\n", summary.requests, summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
