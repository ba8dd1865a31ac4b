local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
local run = os.time()
request = function()
  counter = counter + 1
  local body = string.format('{"email":"load-%d-%d-%d@example.com","displayName":"Load"}', run, tid, counter)
  return wrk.format("POST", "/api/users", {["Content-Type"] = "application/json"}, body)
end
