-- wrk script: GET /api/accounts/{random account} with the workspace key.
-- SIGNALS_KEY: API key; SIGNALS_ACCOUNTS: how many accounts were seeded (acct-000000 ...);
-- SIGNALS_DELAY_MS: pause before each request on each connection, to offer a fixed rate
-- (connections x 1000 / (delay + latency) requests per second). wrk leaves the pause out of latency.
local key = os.getenv("SIGNALS_KEY")
local accounts = tonumber(os.getenv("SIGNALS_ACCOUNTS") or "100000")
local pause = tonumber(os.getenv("SIGNALS_DELAY_MS") or "0")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function request()
  local id = string.format("acct-%06d", math.random(0, accounts - 1))
  return wrk.format("GET", "/api/accounts/" .. id, { ["Authorization"] = "Bearer " .. key })
end

if pause > 0 then
  function delay()
    return pause
  end
end
