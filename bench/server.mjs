// A `yiwang serve` for the Node benchmarks: a fresh demo city (without the past year) in OUT,
// the given settings, a free port. Killed when the benchmark's process exits, also on failure.
import { spawn, execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Returns { server, base, db }: the child process, "http://127.0.0.1:PORT" and the database file.
export async function startBenchServer({ bin, out, name, config = {} }) {
  const db = path.join(out, `${name}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.auditkey`]) rmSync(f, { force: true });
  execFileSync(bin, ['--db', db, 'demo', '--no-history'], { stdio: 'ignore' });
  const conf = path.join(out, `${name}.conf`);
  writeFileSync(conf, Object.entries(config).map(([k, v]) => `${k} = ${v}\n`).join(''));
  const server = spawn(bin, ['--config', conf, '--db', db, 'serve', '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let serverErr = '';
  server.stderr.on('data', (d) => { serverErr = (serverErr + d).slice(-4000); });
  process.on('exit', () => server.kill('SIGKILL'));
  const base = await new Promise((resolve, reject) => {
    let seen = '';
    server.stdout.on('data', (d) => {
      seen += d;
      const m = seen.match(/listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${serverErr}`)));
  });
  return { server, base, db };
}
