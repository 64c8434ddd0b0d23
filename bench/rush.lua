-- wrk script of the registration rush (bench/run.py --scenario registration-rush).
--
--   wrk -t16 -c16 … -s bench/rush.lua URL -- <links file> <threads> <csrf secret>
--
-- One connection per thread. Thread k POSTs lines k+1, k+1+threads, … of the links
-- file (its own offset, every threads-th line), so every confirmation link is
-- POSTed exactly once across all connections, with the form's CSRF token. When a
-- thread's share is answered it prints "BENCH_THREAD_DONE" and, until run.py stops
-- wrk, sends GET /healthz instead: gunicorn's sync workers block on a connection
-- that sends nothing, and wrk reconnects after every answer. Those fillers are
-- counted apart and left out of every figure. Latency is timed here, per POST,
-- from the moment wrk asks for the request to its answer; the duration runs from
-- the first POST sent to the last answered. done() prints "BENCH_JSON {...}" as
-- report.lua does (times in µs), with the answers by status.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
unsigned long pthread_self(void);
]])
local CLOCK_MONOTONIC = 1
local timespec = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, stride, secret = args[1], tonumber(args[2]), args[3]
  links = {}
  local line_number = 0
  for line in io.lines(file) do
    if line ~= "" then
      if line_number % stride == offset then
        table.insert(links, line)
      end
      line_number = line_number + 1
    end
  end
  post_headers = {}
  for name, value in pairs(wrk.headers) do
    post_headers[name] = value
  end
  post_headers["Content-Type"] = "application/x-www-form-urlencoded"
  -- Django takes the unmasked 32-character secret in the form field; a secure
  -- request also needs a Referer on the same host.
  post_headers["Cookie"] = "csrftoken=" .. secret
  post_headers["Referer"] = "https://" .. wrk.headers["Host"] .. "/"
  post_body = "csrfmiddlewaretoken=" .. secret
  filler = wrk.format("GET", "/healthz")
  -- init runs on wrk's main thread, and so does the one request() wrk makes of
  -- the first thread to check the script: that request is never sent.
  main_thread = ffi.C.pthread_self()

  next_link = 1
  sent_at = nil
  first_sent, last_answered = 0, 0
  latencies, statuses = {}, {}
  non_ok, lost, fillers = 0, 0, 0
  finished = false
  if #links == 0 then
    finish()
  end
end

function finish()
  if not finished then
    finished = true
    io.stdout:write("BENCH_THREAD_DONE\n")
    io.stdout:flush()
  end
end

function request()
  if ffi.C.pthread_self() == main_thread then
    return filler
  end
  if sent_at then
    -- wrk asks again without an answer to the last POST: a socket error.
    lost = lost + 1
    sent_at = nil
  end
  if next_link > #links then
    finish()
    return filler
  end
  local path = links[next_link]
  next_link = next_link + 1
  sent_at = now_us()
  if first_sent == 0 then
    first_sent = sent_at
  end
  return wrk.format("POST", path, post_headers, post_body)
end

function response(status, headers, body)
  if not sent_at then
    fillers = fillers + 1
    return
  end
  last_answered = now_us()
  table.insert(latencies, last_answered - sent_at)
  sent_at = nil
  statuses[status] = (statuses[status] or 0) + 1
  -- A confirmation answers 302 (to the person's page); 4xx/5xx are failures.
  if status < 200 or status > 399 then
    non_ok = non_ok + 1
  end
  if next_link > #links then
    finish()
  end
end

function done(summary, latency, requests)
  local all, by_status = {}, {}
  local started, ended = math.huge, 0
  local totals = { non_ok = 0, lost = 0, fillers = 0 }
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("latencies")) do
      table.insert(all, value)
    end
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
    for name in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
    local first = thread:get("first_sent")
    if first > 0 then
      started = math.min(started, first)
    end
    ended = math.max(ended, thread:get("last_answered"))
  end
  table.sort(all)
  local sum = 0
  for _, value in ipairs(all) do
    sum = sum + value
  end
  local function percentile(p)
    if #all == 0 then
      return 0
    end
    return all[math.max(1, math.ceil(#all * p / 100))]
  end
  local status_json = {}
  for status, count in pairs(by_status) do
    table.insert(status_json, string.format('"%d": %d', status, count))
  end
  table.sort(status_json)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "mean_us": %.1f, '
      .. '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, '
      .. '"non2xx": %d, "lost": %d, "fillers": %d, "statuses": {%s}, '
      .. '"connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d}\n',
    #all, #all > 0 and ended - started or 0, #all > 0 and sum / #all or 0,
    percentile(50), percentile(90), percentile(99), percentile(100),
    totals.non_ok, totals.lost, totals.fillers, table.concat(status_json, ", "),
    errors.connect, errors.read, errors.write, errors.timeout
  ))
end
