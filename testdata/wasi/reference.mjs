// Runs each test program under Node.js's node:wasi and records its exit
// code, stdout, stderr and the files it left, as the reference that
// gowasm's tests compare against (<name>.expected.json).
import { WASI } from 'node:wasi';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const programs = [
  { name: 'cprog', args: ['one', 'two words'], env: { GREETING: 'hello' }, stdin: '1\n2\n39\n' },
  { name: 'goprog', args: ['x', 'y'], env: { GREETING: 'hi' }, stdin: 'The cat saw the dog\nthe END\n' },
];

function listFiles(dir, prefix = '') {
  const out = {};
  for (const ent of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
    const rel = prefix + ent.name;
    if (ent.isDirectory()) {
      out[rel + '/'] = '';
      Object.assign(out, listFiles(path.join(dir, ent.name), rel + '/'));
    } else {
      out[rel] = fs.readFileSync(path.join(dir, ent.name), 'utf8');
    }
  }
  return out;
}

for (const p of programs) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gowasm-ref-'));
  const data = path.join(tmp, 'data');
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(tmp, 'stdin'), p.stdin);
  const stdin = fs.openSync(path.join(tmp, 'stdin'), 'r');
  const stdout = fs.openSync(path.join(tmp, 'stdout'), 'w');
  const stderr = fs.openSync(path.join(tmp, 'stderr'), 'w');
  const wasi = new WASI({
    version: 'preview1',
    args: [p.name, ...p.args],
    env: p.env,
    preopens: { '/data': data },
    stdin, stdout, stderr,
    returnOnExit: true,
  });
  const mod = await WebAssembly.compile(fs.readFileSync(p.name + '.wasm'));
  const inst = await WebAssembly.instantiate(mod, wasi.getImportObject());
  const code = wasi.start(inst);
  for (const fd of [stdin, stdout, stderr]) fs.closeSync(fd);
  const expected = {
    args: p.args,
    env: p.env,
    stdin: p.stdin,
    exit_code: code,
    stdout: fs.readFileSync(path.join(tmp, 'stdout'), 'utf8'),
    stderr: fs.readFileSync(path.join(tmp, 'stderr'), 'utf8'),
    files: listFiles(data),
  };
  fs.writeFileSync(p.name + '.expected.json', JSON.stringify(expected, null, 2) + '\n');
  fs.rmSync(tmp, { recursive: true });
}
