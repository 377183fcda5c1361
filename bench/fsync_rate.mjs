// The disk's durable-write rate where the database lives: append 4 KiB and fdatasync, as SQLite's
// WAL does for every commit under synchronous=FULL, for SECONDS; prints syncs per second.
import { openSync, writeSync, fdatasyncSync, closeSync, unlinkSync } from 'node:fs';

const [file, seconds = '3'] = process.argv.slice(2);
const fd = openSync(file, 'w');
const page = Buffer.alloc(4096, 1);
const end = Date.now() + Number(seconds) * 1000;
let n = 0;
while (Date.now() < end) {
  writeSync(fd, page);
  fdatasyncSync(fd);
  n++;
}
closeSync(fd);
unlinkSync(file);
console.log(Math.round(n / Number(seconds)));
