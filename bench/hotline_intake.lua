-- wrk script: durable hotline intake. Every request opens a work order from a call as the 12345
-- operator whose API token is in TOKEN, each from another caller's number (the console looks up a
-- caller's earlier orders); the server answers 201 only after the group commit.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local n = math.random(0, 9999999)
request = function()
	n = n + 1
	local body = string.format('{"channel":"phone","category":"complaint","caller_name":"王先生",' ..
		'"caller_phone":"139%08d","text":"芙蓉区文艺路某小区门口夜间施工噪音扰民，请尽快处理","district":"430102"}',
		n % 100000000)
	return wrk.format(nil, nil, nil, body)
end
