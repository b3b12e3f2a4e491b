-- Each request with a query string never sent before, so the film list's page cache misses
-- every time: the cost of a page from the database.
-- The URL's own query (e.g. `?skip=20&limit=10`) is kept; `nocache` is added to it, a parameter
-- the API (and the peer bench/versus.py compares it with) ignores.
local counter = 0
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local thread_tag = math.random(1, 1000000000)

request = function()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "nocache=" .. thread_tag .. "-" .. counter)
end
