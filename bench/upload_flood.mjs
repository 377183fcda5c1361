// Request bodies under attack (issue 8): UPLOAD_FLOOD_N (100) anonymous POST /api/v1/files, each
// with a 19 MiB body, half with Content-Length and half chunked, all at once; then a signed-in
// applicant uploads a 19 MiB PDF. Reports the answers, the server's resident memory before,
// after and at its peak (VmHWM), and the upload's outcome. Before the fix, 100 such bodies were
// read whole into memory before the sign-in check and took the server from 47 MB to 1.99 GB.
//
// Usage: node bench/upload_flood.mjs [BIN] [OUT_DIR] [BASELINE_BIN]; prints a Markdown section.
// With BASELINE_BIN (e.g. a build from before the fix), the anonymous flood is run against it too
// and its peak is reported beside this one's.
import { startBenchServer } from './server.mjs';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const BIN = process.argv[2] || process.env.YW_BIN || 'build/yiwang';
const OUT = process.argv[3] || 'bench/out';
const N = Number(process.env.UPLOAD_FLOOD_N || 100);
const SIZE = 19 * 1024 * 1024;
// An older binary to run the same anonymous flood against, in the same run (optional).
const BASELINE = process.argv[4] || process.env.UPLOAD_FLOOD_BASELINE || '';

async function run(bin, tag, withUpload) {
  mkdirSync(OUT, { recursive: true });
  const filesDir = path.join(OUT, `upload-flood-files${tag}`);
  rmSync(filesDir, { recursive: true, force: true });
  // defaults otherwise: max_upload 20 MiB
  const { server, base } = await startBenchServer({ bin, out: OUT, name: `upload-flood${tag}`, config: { files_dir: filesDir } });
  const mem = () => {
    const s = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const kb = (k) => Number(s.match(new RegExp(`${k}:\\s+(\\d+)`))[1]);
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  };
  const u = new URL(base);
  // Resets the peak (VmHWM), so each peak below belongs to its own stage, not to the start-up.
  const resetPeak = () => writeFileSync(`/proc/${server.pid}/clear_refs`, '5');

  // One POST of body (a Buffer) with Content-Length, or chunked in 1 MiB pieces.
  function post(body, { chunked = false, headers = {}, pathName = '/api/v1/files?name=big.pdf' } = {}) {
    return new Promise((resolve) => {
      const t0 = performance.now();
      const h = { 'Content-Type': 'application/pdf', ...headers };
      if (chunked) h['Transfer-Encoding'] = 'chunked';
      else h['Content-Length'] = body.length;
      const req = http.request({ host: u.hostname, port: u.port, method: 'POST', path: pathName, headers: h, agent: false }, (res) => {
        let t = '';
        res.on('data', (d) => { t += d; });
        res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - t0, text: t }));
      });
      req.on('error', (e) => resolve({ status: 0, ms: performance.now() - t0, error: e.code }));
      if (chunked) {
        let i = 0;
        const next = () => {
          while (i < body.length) {
            const piece = body.subarray(i, i + 1024 * 1024);
            i += piece.length;
            if (!req.write(piece)) return req.once('drain', next);
          }
          req.end();
        };
        next();
      } else {
        req.end(body);
      }
    });
  }

  // The applicant signs in first, so the first use of the database is not counted in the flood.
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'zhangsan', password: 'yiwang2026' }),
  });
  const csrf = (await login.json()).csrf_token;
  const cookie = login.headers.get('set-cookie').match(/yw_session=[^;]*/)[0];
  const before = mem();
  resetPeak();
  const junk = Buffer.alloc(SIZE, 0x41);
  const t0 = performance.now();
  const results = await Promise.all(Array.from({ length: N }, (_, i) => post(junk, { chunked: i % 2 === 1 })));
  const floodMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500));
  const after = mem();
  const count = (pred) => results.filter(pred).length;
  const answered401 = count((r) => r.status === 401);
  const resets = count((r) => r.status === 0);
  const maxMs = Math.max(...results.map((r) => r.ms));

  if (!withUpload) {
    server.kill('SIGTERM');
    await new Promise((r) => server.on('exit', r));
    return { before, after, answered401, resets, maxMs, floodMs };
  }
  // A signed-in applicant's 19 MiB PDF is still accepted, streamed to disk.
  resetPeak();
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(SIZE - 200, 0x20), Buffer.from('\ntrailer<</Root 1 0 R>>\n%%EOF\n')]);
  const up = await post(pdf, { headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
  const upJson = JSON.parse(up.text || '{}');
  const shaOk = upJson.sha256 === createHash('sha256').update(pdf).digest('hex');
  const afterUpload = mem();
  server.kill('SIGTERM');
  await new Promise((r) => server.on('exit', r));
  return { before, after, answered401, resets, maxMs, floodMs, up, upJson, shaOk, afterUpload };
}

mkdirSync(OUT, { recursive: true });
const { before, after, answered401, resets, maxMs, floodMs, up, upJson, shaOk, afterUpload } = await run(BIN, '', true);
const base = BASELINE ? await run(BASELINE, '-baseline', false) : null;

const mb = (kb) => Math.round(kb / 1024);
console.log(`
## Request bodies under attack (bench/upload_flood.mjs)

${new Date().toISOString().slice(0, 16)}Z: ${N} anonymous POST /api/v1/files with 19 MiB bodies at once (${N / 2} with
Content-Length, ${N / 2} chunked), then a signed-in 19 MiB PDF upload.

| | server RSS MB |
|---|---|
| before | ${mb(before.rss)} |
| after the ${N} anonymous bodies | ${mb(after.rss)} (peak during them ${mb(after.hwm)}) |
| after the signed-in upload | ${mb(afterUpload.rss)} (peak during it ${mb(afterUpload.hwm)}) |

Peak RSS / before = **${(after.hwm / before.rss).toFixed(1)}** (target: under 150 MB; before the fix 1.99 GB)${base ? `

The same flood against ${BASELINE}: RSS ${mb(base.before.rss)} MB before, peak ${mb(base.after.hwm)} MB, ${mb(base.after.rss)} MB after; ${base.answered401} answered 401, ${base.resets} reset, all within ${Math.round(base.maxMs)} ms. Peak here / peak there = **${(after.hwm / base.after.hwm).toFixed(3)}**.` : ''}

Anonymous bodies: ${answered401} answered 401, ${resets} connections reset, ${N - answered401 - resets} other; all answered within ${Math.round(maxMs)} ms (the flood took ${Math.round(floodMs)} ms).
Signed-in upload: ${up.status}${up.status === 201 ? `, ${upJson.size} bytes, SHA-256 ${shaOk ? 'matches' : 'DIFFERS'}` : ` ${up.text || up.error}`}, ${Math.round(up.ms)} ms.`);
process.exit(0);
