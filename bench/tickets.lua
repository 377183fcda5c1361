-- wrk script: durable kiosk tickets. Each request takes a ticket in the next of the queues listed
-- in QUEUES (comma-separated ids), so no queue runs out of its 999 numbers of the day.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
-- QUEUES lists "id:token" pairs: each queue with the token of a kiosk paired in its hall.
local queues = {}
for id, token in string.gmatch(os.getenv("QUEUES"), "(%d+):([^,]+)") do queues[#queues + 1] = {id, token} end
local i = 0
request = function()
	i = i + 1
	local q = queues[(i % #queues) + 1]
	return wrk.format(nil, nil, {["Content-Type"] = "application/json", ["X-Device-Token"] = q[2]},
		'{"queue_id":' .. q[1] .. ',"category":"normal"}')
end
