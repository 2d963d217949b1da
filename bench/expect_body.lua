-- wrk script: count the responses whose body lacks the text in WRK_EXPECT (bench/compare.py).
-- Each wrk thread runs its own copy; done() adds up their counts and prints one line.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  expected = os.getenv("WRK_EXPECT")
  bad = 0
end

function response(status, headers, body)
  if not string.find(body, expected, 1, true) then
    bad = bad + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
  end
  io.write(string.format("Bodies without the expected text: %d\n", total))
end
