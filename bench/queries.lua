-- wrk script: each request searches for one of the queries in the QUERIES environment variable
-- (comma-separated, URL-encoded), in turn.
local list = {}
for q in string.gmatch(os.getenv("QUERIES") or "", "([^,]+)") do
  list[#list + 1] = "/api/v1/items?q=" .. q
end
local i = 0
request = function()
  i = i % #list + 1
  return wrk.format("GET", list[i])
end
