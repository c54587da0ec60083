-- The exception storm's requests: every one fails, in five distinct ways the web sample has, taken in turn.
local requests = {}
local next_index = 0

function init(args)
  requests[1] = wrk.format("GET", "/orders/abc")
  requests[2] = wrk.format("GET", "/reports/monthly?currency=CHF&month=11")
  requests[3] = wrk.format("POST", "/login", { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "username=alice&password=hunter2")
  requests[4] = wrk.format("POST", "/api/payments", { ["Content-Type"] = "application/json" },
    '{"amount":12.5,"currency":"CHF","card":{"holder":"A. Smith","number":"4111111111111111","cvv":"123"},"apiKey":"sk_live_abc123"}')
  requests[5] = wrk.format("GET", "/orders/99999999999")
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
