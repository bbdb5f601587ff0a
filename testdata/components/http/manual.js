// A wasi:http proxy written against the wasi:http/types bindings directly
// (componentize-js exports `incomingHandler`, so StarlingMonkey's fetch
// event is left out): build-http.sh turns it into
// manual-js.component.wasm. It exercises the resources one by one.
//
// Routes (by path with query):
//   /error        response-outparam.set with err(HTTP-request-denied)
//   /unset        returns without setting the response
//   /throw        throws: the export traps
//   /unfinished   sets a 200 response, writes "partial" and never finishes the body
//   /fields       200; the body reports what fields.from-list, set, append
//                 and delete do with bad input, one "name: result" line each
//   /trailers     200 "with trailers", finished with trailer x-checksum: abc
//   anything else 200; the body is "METHOD PATH\n" then the request headers
//                 (from entries, "name=value" lines, sorted) and the request
//                 body after a blank line; header x-count is the number of
//                 request body bytes
import {
  Fields,
  OutgoingResponse,
  OutgoingBody,
  ResponseOutparam,
} from 'wasi:http/types@0.2.10';

const enc = new TextEncoder();
const dec = new TextDecoder();

function respond(responseOut, status, headers, text, trailers) {
  const fields = Fields.fromList(headers.map(([k, v]) => [k, enc.encode(v)]));
  const resp = new OutgoingResponse(fields);
  resp.setStatusCode(status);
  const body = resp.body();
  ResponseOutparam.set(responseOut, { tag: 'ok', val: resp });
  const out = body.write();
  const bytes = enc.encode(text);
  for (let i = 0; i < bytes.length; i += 4096) {
    out.blockingWriteAndFlush(bytes.subarray(i, i + 4096));
  }
  out[Symbol.dispose]();
  OutgoingBody.finish(body, trailers);
}

function attempt(f) {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e.payload && e.payload.tag ? e.payload.tag : String(e);
  }
}

function readAll(request) {
  const body = request.consume();
  const stream = body.stream();
  const chunks = [];
  let n = 0;
  for (;;) {
    let chunk;
    try {
      chunk = stream.blockingRead(65536n);
    } catch (e) {
      if (e.payload && e.payload.tag === 'closed') break;
      throw e;
    }
    chunks.push(chunk);
    n += chunk.length;
  }
  stream[Symbol.dispose]();
  const all = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    all.set(c, off);
    off += c.length;
  }
  return all;
}

export const incomingHandler = {
  handle(request, responseOut) {
    const path = request.pathWithQuery();
    if (path === '/error') {
      ResponseOutparam.set(responseOut, { tag: 'err', val: { tag: 'HTTP-request-denied' } });
      return;
    }
    if (path === '/unset') {
      return;
    }
    if (path === '/throw') {
      throw new Error('boom');
    }
    if (path === '/unfinished') {
      const resp = new OutgoingResponse(new Fields());
      const body = resp.body();
      ResponseOutparam.set(responseOut, { tag: 'ok', val: resp });
      const out = body.write();
      out.blockingWriteAndFlush(enc.encode('partial'));
      return;
    }
    if (path === '/fields') {
      const lines = [];
      lines.push('from-list forbidden: ' + attempt(() => Fields.fromList([['connection', enc.encode('close')]])));
      lines.push('from-list bad name: ' + attempt(() => Fields.fromList([['bad name', enc.encode('x')]])));
      lines.push('from-list bad value: ' + attempt(() => Fields.fromList([['x-a', enc.encode('a\nb')]])));
      const f = new Fields();
      lines.push('append: ' + attempt(() => f.append('X-A', enc.encode('1'))));
      lines.push('append again: ' + attempt(() => f.append('x-a', enc.encode('2'))));
      lines.push('get: ' + f.get('x-A').map((v) => dec.decode(v)).join(','));
      lines.push('set: ' + attempt(() => f.set('x-a', [enc.encode('3')])));
      lines.push('has: ' + f.has('X-a'));
      lines.push('entries: ' + JSON.stringify(f.entries().map(([k, v]) => [k, dec.decode(v)])));
      lines.push('delete: ' + attempt(() => f.delete('x-a')));
      lines.push('has after delete: ' + f.has('x-a'));
      const h = request.headers();
      lines.push('request headers append: ' + attempt(() => h.append('x-b', enc.encode('1'))));
      const c = h.clone();
      lines.push('clone append: ' + attempt(() => c.append('x-b', enc.encode('1'))));
      respond(responseOut, 200, [], lines.join('\n') + '\n');
      return;
    }
    if (path === '/trailers') {
      respond(responseOut, 200, [['content-type', 'text/plain']], 'with trailers',
        Fields.fromList([['x-checksum', enc.encode('abc')]]));
      return;
    }
    const method = request.method();
    const headers = request
      .headers()
      .entries()
      .map(([k, v]) => `${k}=${dec.decode(v)}`)
      .sort();
    const body = readAll(request);
    const text = `${method.tag === 'other' ? method.val : method.tag.toUpperCase()} ${path}\n` +
      headers.join('\n') + '\n\n' + dec.decode(body);
    respond(responseOut, 200, [['x-count', String(body.length)], ['content-type', 'text/plain']], text);
  },
};
