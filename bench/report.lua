-- wrk script: counts non-2xx responses in every thread and, when wrk is done,
-- prints one line "BENCH_JSON {...}" that bench/run.py reads. Times are in µs.
-- A scenario that needs its own requests (a POST, changing paths) can define
-- request() in a copy of this file and keep response() and done() as they are.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
  end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do
    non2xx_total = non2xx_total + thread:get("non2xx")
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, '
      .. '"mean_us": %.1f, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "non2xx": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, non2xx_total,
    errors.connect, errors.read, errors.write, errors.timeout
  ))
end
