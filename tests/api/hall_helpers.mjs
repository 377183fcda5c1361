// Hall devices for the tests (智能大厅): the hall manager registers a kiosk, board or rating pad and
// the device pairs with its one-time code, as on the device's own pairing screen; the client then
// sends its token in X-Device-Token on every request.
import assert from 'node:assert/strict';
import { Client, as } from './helpers.mjs';

export class DeviceClient extends Client {
  constructor(base, token) { super(base); this.deviceToken = token; }
  req(method, url, body, headers = {}) {
    return super.req(method, url, body, { ...headers, 'X-Device-Token': this.deviceToken });
  }
}

// Registers a device of the hall as center_admin (or `manager`) and pairs it. Returns the client,
// with .device (id, kind, ...) and .code (the pairing code, already used).
export async function pairDevice(base, hallId, kind, { windowId, name, manager } = {}) {
  const admin = manager || await as(base, 'center_admin');
  const body = { kind, name: name || `测试${kind}` };
  if (windowId) body.window_id = windowId;
  const made = await admin.post(`/api/v1/hall/${hallId}/devices`, body);
  assert.equal(made.status, 201, made.text);
  assert.match(made.json.pairing_code, /^\d{6}$/);
  const r = await new Client(base).post(`/api/v1/hall/${hallId}/devices/pair`, { code: made.json.pairing_code, kind });
  assert.equal(r.status, 201, r.text);
  const c = new DeviceClient(base, r.json.device_token);
  c.device = { ...r.json.device, id: made.json.id };
  c.code = made.json.pairing_code;
  return c;
}
