// Scores search against the judged citizen queries (tests/search/judged.json) on a running server:
// success@3 (an acceptable item among the first three) and MRR (mean of 1/rank of the first
// acceptable item in the first ten; 0 when there is none). Used by tests/api/search.test.mjs on
// the demo city and by bench/run.sh on the 30,000-item city, where `copies` also accepts the
// items `yiwang demo --scale` generated from an acceptable item (code "S" + 9 digits + the
// template's base code): the same service implemented in another district, street or community.
//   node tests/search/judge.mjs http://127.0.0.1:PORT [--copies]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const HERE = path.dirname(new URL(import.meta.url).pathname);
export const judged = JSON.parse(readFileSync(path.join(HERE, 'judged.json'), 'utf8')).queries;
const city = JSON.parse(readFileSync(path.join(HERE, '../../data/demo/city.json'), 'utf8'));
const baseOf = new Map(city.items.map((it) => [it.code, it.base_code]));

export async function judge(base, { copies = false } = {}) {
  let hits3 = 0, rr = 0;
  const misses = [];
  for (const { q, accept } of judged) {
    const codes = new Set(accept.map((a) => a.code));
    const bases = new Set(accept.map((a) => baseOf.get(a.code)));
    const r = await fetch(`${base}/api/v1/items?page_size=10&q=${encodeURIComponent(q)}`);
    if (!r.ok) throw new Error(`search ${q}: HTTP ${r.status}`);
    const items = (await r.json()).items;
    const ok = (it) => codes.has(it.code) || (copies && bases.has((/^S\d{9}(.+)$/.exec(it.code) || [])[1]));
    const rank = items.findIndex(ok) + 1;
    if (rank >= 1 && rank <= 3) hits3++;
    else misses.push({ q, rank, top: items.slice(0, 3).map((it) => it.name) });
    if (rank) rr += 1 / rank;
  }
  return { queries: judged.length, success3: hits3 / judged.length, mrr: rr / judged.length, misses };
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const out = await judge(process.argv[2], { copies: process.argv.includes('--copies') });
  console.log(JSON.stringify(out));
}
