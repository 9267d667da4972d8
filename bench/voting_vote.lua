-- wrk script for the voting bench: every request is a distinct vote (unique idempotency key) from one
-- of the voters whose tokens are listed in a file; the same body and headers go to the bare endpoint.
-- usage: wrk -s voting_vote.lua URL -- <tokens file> <path> <couples> <run nonce>
local counter = 0
local tokens = {}
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  for line in io.lines(args[1]) do
    tokens[#tokens + 1] = line
  end
  path = args[2]
  couples = tonumber(args[3])
  nonce = args[4]
end

function request()
  counter = counter + 1
  local token = tokens[(counter * 7 + id * 131) % #tokens + 1]
  local body = string.format('{"couple":"%d","votes":1,"key":"%s-%d-%d"}', counter % couples + 1, nonce, id, counter)
  return wrk.format("POST", path, {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end

-- Every latency seen, as "latency_us count" lines after a marker, so that the bench can merge the
-- turns of one endpoint into one distribution and read its percentiles over all of its requests.
function done(summary, latency, requests)
  io.write("-- latency histogram (µs count)\n")
  for i = 1, #latency do
    local value, count = latency(i)
    io.write(string.format("%d %d\n", value, count))
  end
end
