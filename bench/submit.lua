-- wrk script: durable case submissions. Every request applies for the item in ITEM_CODE as the
-- applicant whose API token is in TOKEN; the server answers 201 only after the group commit.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"item_code":"' .. os.getenv("ITEM_CODE") .. '","form":{"address":"压力测试申请"}}'
