-- wrk script for scripts/bench_autosave.py: POST drafts to the autosave endpoint as many
-- candidates, each with its own session cookie and CSRF token, the text changing every time.
--
-- Environment: BENCH_TARGETS, a file of "session csrf path token" lines (path empty: GET
-- /healthz; token "-": post without the page's autosave token);
-- BENCH_RATE, requests per second for the whole run (0: as fast as the connections allow);
-- BENCH_THREADS, wrk's --threads, to split the rate between them.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_usec; } bench_timeval;
  int gettimeofday(bench_timeval *tv, void *tz);
]]
local tv = ffi.new("bench_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + tonumber(tv.tv_usec) / 1000
end

local thread_count = 0
function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

local targets = {}
local counter = 0
local interval_ms = 0
local next_slot = 0
local healthz = false

-- Words to build drafts from, so every save carries a different text of a realistic size.
local WORDS = {
  "we", "would", "start", "with", "creators", "in", "one", "market", "and", "measure",
  "day-7", "retention", "against", "a", "holdout", "before", "widening", "the", "launch",
  "because", "trust", "matters", "more", "than", "reach", "for", "this", "feature", "first",
  "then", "decide", "on", "pricing", "after", "the", "pilot", "shows", "repeat", "use",
}

function init(args)
  for line in io.lines(os.getenv("BENCH_TARGETS")) do
    local session, csrf, path, token = line:match("^(%S+) (%S+) ?(%S*) ?(%S*)$")
    local field = ""
    if token ~= "" and token ~= "-" then
      field = "&autosave_token=" .. token
    end
    targets[#targets + 1] = { session = session, csrf = csrf, path = path, token = field }
  end
  healthz = targets[1].path == ""
  counter = id * 7919 -- threads start at different candidates
  local rate = tonumber(os.getenv("BENCH_RATE") or "0")
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  if rate > 0 then
    interval_ms = 1000 * threads / rate
    next_slot = now_ms()
  end
end

-- Paced runs hand out send times one interval apart, whichever connection is free.
function delay()
  if interval_ms == 0 then
    return 0
  end
  local now = now_ms()
  if next_slot < now then
    next_slot = now
  end
  local wait = next_slot - now
  next_slot = next_slot + interval_ms
  return wait
end

local function draft(n)
  local parts = {}
  local length = 120 + (n * 37) % 200 -- 120 to 320 words: a draft part way through
  for i = 1, length do
    parts[i] = WORDS[(n + i * i) % #WORDS + 1]
  end
  parts[#parts + 1] = tostring(n)
  return table.concat(parts, "+")
end

function request()
  counter = counter + 1
  local target = targets[counter % #targets + 1]
  if healthz then
    return wrk.format("GET", "/healthz")
  end
  local headers = {
    ["Cookie"] = "sessionid=" .. target.session .. "; csrftoken=" .. target.csrf,
    ["X-CSRFToken"] = target.csrf,
    ["HX-Request"] = "true",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", target.path, headers, "text=" .. draft(counter) .. target.token)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
      .. '"p99_us": %d, "mean_us": %.1f, "max_us": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean,
    latency.max
  ))
end
