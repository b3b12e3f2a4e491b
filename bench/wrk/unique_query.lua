-- Each request with a query string never sent before, so the film list's page cache misses
-- every time (its totals cache still hits): the cost of rendering a page from the database.
local counter = 0
math.randomseed(os.time() + math.floor(os.clock() * 1000000))
local thread_tag = math.random(1, 1000000000)

request = function()
  counter = counter + 1
  return wrk.format(nil, "/api/v1/films?nocache=" .. thread_tag .. "-" .. counter)
end
