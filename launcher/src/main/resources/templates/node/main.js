// __NAME__: an fnmesh function in Node.js, no dependencies.
//
// fnmesh starts it with $PORT set and POSTs each event in binary mode (attributes as ce-* headers, the data
// as the body); it answers with an event in binary mode, which fnmesh publishes to the trigger's reply topic.
// Change handle() to make it yours.
'use strict';
const http = require('http');
const crypto = require('crypto');

const NAME = '__NAME__';

// The reply's data for one event: here, what came in and its type.
function handle(attributes, data) {
  return { function: NAME, type: attributes.type, received: data };
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const attributes = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.startsWith('ce-')) attributes[name.slice(3)] = value;
    }
    let data = body;
    try {
      if ((request.headers['content-type'] || '').includes('json') && body) data = JSON.parse(body);
    } catch (e) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: 400, field: 'data', message: e.message }));
      return;
    }
    const reply = JSON.stringify(handle(attributes, data));
    response.writeHead(200, {
      'ce-specversion': '1.0', 'ce-id': crypto.randomUUID(), 'ce-source': '/functions/' + NAME,
      'ce-type': NAME + '.reply', 'content-type': 'application/json', 'content-length': Buffer.byteLength(reply),
    });
    response.end(reply);
  });
});

server.listen(Number(process.env.PORT || 8080), '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
