#!/usr/bin/env node
// Bike points near a place, as a Node.js function: a CloudEvents HTTP server on $PORT, standard library only.
//
// Given an event whose JSON data has a "query" (a street or landmark), it answers a sentence about the free
// bikes at the bike points whose names match, read from the bundled bikepoints.json (invented data, no
// network). Accepts binary mode (ce-* headers) and structured mode (application/cloudevents+json) and always
// replies in binary mode. Stops cleanly on SIGTERM and SIGINT.
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');

const REPLY_TYPE = 'dev.fnmesh.examples.bikepoints';
const REQUIRED = ['specversion', 'id', 'source', 'type'];
const MAX_BODY_BYTES = 1024 * 1024;
const POINTS = JSON.parse(fs.readFileSync(path.join(__dirname, 'bikepoints.json'), 'utf8'));

class Refused extends Error {
  constructor(status, field, message) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

// "King's Cross," and "kings  cross" compare equal.
function normalize(text) {
  return text.toLowerCase().replace(/['’.]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

// A point matches when its name contains the query, or every word of the query starts a word of the name.
function matches(point, query) {
  const name = normalize(point.name);
  if (name.includes(query)) {
    return true;
  }
  const words = name.split(' ');
  return query.split(' ').every((token) => words.some((word) => word.startsWith(token)));
}

// The place the sentence names: the words the matching points' names begin with ("Waterloo Station"),
// else the query itself in title case.
function placeOf(found, query) {
  const heads = found.map((point) => point.name.split(',')[0].split(' '));
  const common = [];
  for (let i = 0; heads.every((words) => i < words.length && words[i] === heads[0][i]); i++) {
    common.push(heads[0][i]);
  }
  if (found.length === 1) {
    return heads[0].join(' ');
  }
  return common.length > 0
    ? common.join(' ')
    : query.split(' ').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

function answer(rawQuery) {
  const query = normalize(rawQuery);
  const found = query === '' ? [] : POINTS.filter((point) => matches(point, query));
  if (found.length === 0) {
    return `I found no bike point near "${rawQuery}".`;
  }
  const bikes = found.reduce((sum, point) => sum + point.bikes, 0);
  const free = bikes === 0 ? 'are no bikes' : bikes === 1 ? 'is 1 bike' : `are ${bikes} bikes`;
  const points = found.length === 1 ? '1 bike point' : `${found.length} bike points`;
  return `There ${free} free near ${placeOf(found, query)} (${points}).`;
}

function isJson(contentType) {
  const media = (contentType || '').split(';')[0].trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

// CloudEvents HTTP binding 3.1.3.2: ce-* header values are percent-encoded.
function decodeHeader(value) {
  try {
    return decodeURIComponent(value);
  } catch (e) {
    return value; // a stray '%' that starts no escape is taken as it is
  }
}

function encodeHeader(value) {
  return Array.from(String(value), (c) => (c > ' ' && c < '\x7f' && c !== '"' && c !== '%') ? c : encodeURIComponent(c))
    .join('');
}

function readEvent(headers, body) {
  const contentType = headers['content-type'] || '';
  const media = contentType.split(';')[0].trim().toLowerCase();
  let attributes;
  let data;
  if (media === 'application/cloudevents+json') {
    let event;
    try {
      event = JSON.parse(body.toString('utf8'));
    } catch (e) {
      throw new Refused(400, 'body', `no valid structured CloudEvent: ${e.message}`);
    }
    if (event === null || typeof event !== 'object' || Array.isArray(event)) {
      throw new Refused(400, 'body', 'no valid structured CloudEvent: it must be a JSON object');
    }
    let dataBase64;
    ({ data, data_base64: dataBase64, ...attributes } = event);
    if (dataBase64 !== undefined) {
      data = Buffer.from(String(dataBase64), 'base64').toString('utf8');
    }
    if (typeof data === 'string' && isJson(attributes.datacontenttype || 'application/json')) {
      data = parseJson(data);
    }
  } else if (media.startsWith('application/cloudevents')) {
    throw new Refused(415, 'content-type', `only binary and structured mode are supported, got ${contentType}`);
  } else {
    attributes = {};
    for (const [name, value] of Object.entries(headers)) {
      if (name.startsWith('ce-')) {
        attributes[name.slice(3)] = decodeHeader(value);
      }
    }
    data = isJson(contentType) ? parseJson(body.toString('utf8')) : body.toString('utf8');
  }
  for (const name of REQUIRED) {
    if (typeof attributes[name] !== 'string' || attributes[name].trim() === '') {
      throw new Refused(400, name, `required attribute '${name}' is missing`);
    }
  }
  return { attributes, data };
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Refused(400, 'data', `data is no valid JSON: ${e.message}`);
  }
}

function queryOf(data) {
  // Plain text data is the query itself, handy from a shell.
  const query = typeof data === 'string' ? data : data && typeof data === 'object' ? data.query : undefined;
  if (typeof query !== 'string' || query.trim() === '') {
    throw new Refused(400, 'data.query', 'must be the name of a street or landmark, e.g. {"query":"Waterloo"}');
  }
  return query.trim();
}

function handle(request, response) {
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) {
      chunks.push(chunk);
    }
  });
  request.on('end', () => {
    try {
      if (size > MAX_BODY_BYTES) {
        throw new Refused(413, 'body', `must be at most ${MAX_BODY_BYTES} bytes, got ${size}`);
      }
      const { attributes, data } = readEvent(request.headers, Buffer.concat(chunks));
      const text = answer(queryOf(data));
      send(response, 200, {
        'ce-specversion': '1.0',
        'ce-id': crypto.randomUUID(),
        'ce-source': `/functions/${process.env.FNMESH_FUNCTION || 'bikes'}`,
        'ce-type': REPLY_TYPE,
        'ce-subject': encodeHeader(attributes.id),
        'content-type': 'text/plain',
      }, text);
    } catch (e) {
      if (!(e instanceof Refused)) {
        throw e;
      }
      send(response, e.status, { 'content-type': 'application/json' },
        JSON.stringify({ status: e.status, field: e.field, message: e.message }));
    }
    console.error(`bikes method=${request.method} path=${request.url} status=${response.statusCode}`);
  });
}

function send(response, status, headers, text) {
  const body = Buffer.from(text, 'utf8');
  response.writeHead(status, { ...headers, 'content-length': body.length });
  response.end(body);
}

const port = Number(process.env.PORT || 8080);
const server = http.createServer(handle);
server.listen(port, process.env.HOST || '127.0.0.1', () => console.log(`bikes listening port=${port}`));

function stop(signal) {
  console.log(`bikes stopping signal=${signal}`);
  // close() waits for requests in flight; idle kept-alive connections would otherwise hold it open.
  server.close(() => {
    console.log('bikes stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
