-- wrk script: durable hotline intake. Every request opens a work order from a call as the 12345
-- operator whose API token is in TOKEN; the server answers 201 only after the group commit.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"channel":"phone","category":"complaint","caller_name":"王先生","caller_phone":"13973110000",' ..
	'"text":"芙蓉区文艺路某小区门口夜间施工噪音扰民，请尽快处理","district":"430102"}'
