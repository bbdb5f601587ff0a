// A wasi:http proxy written with the fetch-event API of StarlingMonkey
// (componentize-js): build-http.sh turns it into proxy-js.component.wasm,
// which `gowasm serve` and the tests of wasi/preview2 serve.
//
// Routes:
//   GET  /hello          200 "hello from js\n", content-type text/plain, x-gowasm: yes
//   POST /echo           200, the request body echoed back; x-method is the
//                        method, x-echo is the request's x-test header
//   GET  /status/NNN     status NNN, body "status NNN"
//   GET  /headers        200, the request headers as "name: value" lines (sorted)
//   GET  /fetch?url=U    200, the body of an outgoing GET of U (wasi:http/outgoing-handler),
//                        or 502 "fetch failed: ..." when the host refuses it
//   GET  /spin           never returns (a busy loop: the host's fuel or timeout stops it)
//   GET  /big?n=N        200, N bytes of 'x' (streamed in chunks)
//   anything else        404 "not found: PATH"
addEventListener('fetch', (event) => event.respondWith(handle(event.request)));

async function handle(req) {
  const url = new URL(req.url);
  const path = url.pathname;
  if (path === '/hello') {
    return new Response('hello from js\n', {
      headers: { 'content-type': 'text/plain', 'x-gowasm': 'yes' },
    });
  }
  if (path === '/echo') {
    const body = new Uint8Array(await req.arrayBuffer());
    return new Response(body, {
      headers: {
        'x-method': req.method,
        'x-echo': req.headers.get('x-test') ?? '',
      },
    });
  }
  if (path.startsWith('/status/')) {
    const code = parseInt(path.slice('/status/'.length), 10);
    return new Response(`status ${code}`, { status: code });
  }
  if (path === '/headers') {
    const lines = [];
    for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
    lines.sort();
    return new Response(lines.join('\n') + '\n');
  }
  if (path === '/fetch') {
    try {
      const res = await fetch(url.searchParams.get('url'));
      const text = await res.text();
      return new Response(text, { status: 200, headers: { 'x-upstream-status': String(res.status) } });
    } catch (e) {
      return new Response(`fetch failed: ${e}`, { status: 502 });
    }
  }
  if (path === '/spin') {
    for (;;) {}
  }
  if (path === '/big') {
    const n = parseInt(url.searchParams.get('n') ?? '0', 10);
    const chunk = new Uint8Array(16384).fill(120);
    let left = n;
    const stream = new ReadableStream({
      pull(controller) {
        if (left <= 0) {
          controller.close();
          return;
        }
        const k = Math.min(left, chunk.length);
        controller.enqueue(chunk.slice(0, k));
        left -= k;
      },
    });
    return new Response(stream);
  }
  return new Response(`not found: ${path}\n`, { status: 404 });
}
