-- The store outage's requests: every one fails, on six routes of the web sample taken in turn, each with a random
-- argument (an order id, a currency, a user name, an amount, a path), and every answer is counted by status, so the
-- failures the client saw are known exactly. done() prints them, one "outage:" line each, summed over the threads.
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local letters = "abcdefghijklmnopqrstuvwxyz"
local currencies = { "CHF", "USD", "JPY", "SEK", "NOK", "AUD" }
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local json = { ["Content-Type"] = "application/json" }
local next_index = 0

local function word(length)
  local chars = {}
  for i = 1, length do
    local k = math.random(1, #letters)
    chars[i] = letters:sub(k, k)
  end
  return table.concat(chars)
end

local builders = {
  -- A non-numeric order id: int.Parse throws (500).
  function() return wrk.format("GET", "/orders/" .. word(6)) end,
  -- An order id past int.MaxValue: an overflow (500).
  function() return wrk.format("GET", "/orders/" .. math.random(3000000000, 9000000000)) end,
  -- A currency without a rate, a few awaits deep (500).
  function()
    return wrk.format("GET", "/reports/monthly?currency=" .. currencies[math.random(1, #currencies)] .. "&month=" .. math.random(1, 12))
  end,
  -- A locked account, with a password in the form (500).
  function() return wrk.format("POST", "/login", form, "username=" .. word(8) .. "&password=" .. word(10)) end,
  -- A refused payment with a card in its JSON body (500).
  function()
    return wrk.format("POST", "/api/payments", json, string.format(
      '{"amount":%d.5,"currency":"CHF","card":{"holder":"A. Smith","number":"4111111111111111","cvv":"123"},"apiKey":"sk_live_abc123"}',
      math.random(1, 999)))
  end,
  -- No such route: a tracked 404.
  function() return wrk.format("GET", "/missing/" .. word(8)) end,
}

function init(args)
  math.randomseed(os.time() * 100 + id)
  sent, answered, failed, server_errors, not_found, other = 0, 0, 0, 0, 0, 0
end

function request()
  next_index = next_index % #builders + 1
  sent = sent + 1
  return builders[next_index]()
end

function response(status, headers, body)
  answered = answered + 1
  if status < 200 or status > 299 then
    failed = failed + 1
    if status >= 500 then
      server_errors = server_errors + 1
    elseif status == 404 then
      not_found = not_found + 1
    else
      other = other + 1
    end
  end
end

function done(summary, latency, requests)
  local totals = { sent = 0, answered = 0, failed = 0, server_errors = 0, not_found = 0, other = 0 }
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + (thread:get(name) or 0)
    end
  end
  for _, name in ipairs({ "sent", "answered", "failed", "server_errors", "not_found", "other" }) do
    io.write(string.format("outage: %s %d\n", name, totals[name]))
  end
  io.write(string.format("outage: socket_errors %d\n",
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
