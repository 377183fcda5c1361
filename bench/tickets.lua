-- wrk script: durable kiosk tickets. Each request takes a ticket in the next of the queues listed
-- in QUEUES (comma-separated ids), so no queue runs out of its 999 numbers of the day.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local queues = {}
for id in string.gmatch(os.getenv("QUEUES"), "%d+") do queues[#queues + 1] = id end
local i = 0
request = function()
	i = i + 1
	local q = queues[(i % #queues) + 1]
	return wrk.format(nil, nil, nil, '{"queue_id":' .. q .. ',"category":"normal"}')
end
