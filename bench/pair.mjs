// Pairs a hall device for the benchmarks, as the hall manager and the device's pairing screen do
// (docs/operations.md, "Hall devices"): center_admin registers it, the device redeems the one-time
// code. Prints nothing; pairDevice returns the device token.
// As a command: node bench/pair.mjs BASE HALL KIND → prints the token.
export async function pairDevice(base, hall, kind) {
  const json = { 'Content-Type': 'application/json' };
  const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: json,
    body: JSON.stringify({ username: 'center_admin', password: 'yiwang2026' }) });
  if (login.status !== 200) throw new Error(`center_admin sign-in: ${login.status}`);
  const { csrf_token } = await login.json();
  const admin = { ...json, Cookie: login.headers.get('set-cookie').match(/yw_session=[^;]*/)[0], 'X-CSRF-Token': csrf_token };
  const made = await fetch(`${base}/api/v1/hall/${hall}/devices`, { method: 'POST', headers: admin,
    body: JSON.stringify({ kind, name: `压测${kind}` }) });
  if (made.status !== 201) throw new Error(`device: ${made.status} ${await made.text()}`);
  const { pairing_code } = await made.json();
  const pair = await fetch(`${base}/api/v1/hall/${hall}/devices/pair`, { method: 'POST', headers: json,
    body: JSON.stringify({ code: pairing_code, kind }) });
  if (pair.status !== 201) throw new Error(`pairing: ${pair.status} ${await pair.text()}`);
  return (await pair.json()).device_token;
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(await pairDevice(process.argv[2], process.argv[3], process.argv[4]));
