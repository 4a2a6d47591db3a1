// The fnmesh dashboard: reads GET /api/stream with fetch() so that it can send the token an access file asks
// for (EventSource cannot send headers), and draws each snapshot. Every value from the server enters the
// page as text (textContent, attributes), never as markup.
'use strict';

const HISTORY_MS = 5 * 60 * 1000;
const MIN_SPAN_MS = 30 * 1000;
const RECONNECT_MS = 2000;
const SVG = 'http://www.w3.org/2000/svg';
const STATES = ['starting', 'running', 'stalled', 'restarting', 'failed'];

// Kept in memory only: gone when the tab is closed or reloaded, never written to storage or a cookie.
let token = null;
let previous = null;
const lagHistory = new Map();
const rows = new Map();

const $ = (id) => document.getElementById(id);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function authHeaders() {
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function setConnection(text, kind) {
  const badge = $('connection');
  badge.textContent = text;
  badge.className = 'connection ' + (kind || '');
}

async function problemOf(response) {
  try {
    const body = await response.json();
    return body.message || response.statusText;
  } catch (notJson) {
    return response.status + ' ' + response.statusText;
  }
}

async function connect() {
  setConnection('connecting');
  let response;
  try {
    response = await fetch('/api/stream', { headers: authHeaders(), cache: 'no-store' });
  } catch (unreachable) {
    return retry();
  }
  if (response.status === 401 || response.status === 403) {
    setConnection('needs a token', 'down');
    $('login').hidden = false;
    $('login-error').textContent = token ? await problemOf(response) : '';
    token = null;
    return;
  }
  if (!response.ok) {
    setConnection('refused: ' + await problemOf(response), 'down');
    return retry((Number(response.headers.get('retry-after')) || 2) * 1000);
  }
  $('login').hidden = true;
  setConnection('live', 'live');
  try {
    await readEvents(response.body.getReader());
  } catch (broken) {
    // The connection dropped: reconnect below.
  }
  retry();
}

function retry(delay) {
  setConnection('reconnecting', 'down');
  setTimeout(connect, delay || RECONNECT_MS);
}

// text/event-stream: events end with a blank line; each data: line of one holds the snapshot's JSON.
async function readEvents(reader) {
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const data = event.split('\n').filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart()).join('\n');
      if (data) render(JSON.parse(data));
    }
  }
}

function render(snapshot) {
  const at = Date.parse(snapshot.at);
  $('role').textContent = { mesh: 'fnmesh up', host: 'host', controller: 'controller' }[snapshot.role] || '';
  $('updated').textContent = 'updated ' + new Date(at).toLocaleTimeString();
  $('note').textContent = snapshot.role === 'controller'
    ? 'The hosts count the events: open a host\'s dashboard for them. Replicas are what the hosts report running.'
    : snapshot.role === 'host' ? 'The controller measures lag and decides replicas: its dashboard shows them.' : '';
  const shown = snapshot.triggers.map((trigger) => row(trigger, at));
  const body = $('triggers').tBodies[0];
  if (shown.length !== body.children.length || shown.some((tr, i) => body.children[i] !== tr)) {
    body.replaceChildren(...shown);
  }
  $('empty').hidden = shown.length > 0;
  renderHosts(snapshot);
  for (const name of [...rows.keys()]) {
    if (!snapshot.triggers.some((trigger) => trigger.name === name)) {
      rows.delete(name);
      lagHistory.delete(name);
    }
  }
  previous = { at, done: new Map(snapshot.triggers.map((t) => [t.name, finished(t)])) };
}

function finished(trigger) {
  const events = trigger.events || {};
  return (events.succeeded || 0) + (events.deadLettered || 0) + (events.filtered || 0);
}

function rate(trigger, at) {
  if (!previous || at <= previous.at || !previous.done.has(trigger.name)) return '–';
  const perSecond = (finished(trigger) - previous.done.get(trigger.name)) * 1000 / (at - previous.at);
  return perSecond.toFixed(perSecond < 10 ? 1 : 0);
}

// A trigger's row is made once and updated in place, so that a link or a selection survives the updates.
function row(trigger, at) {
  let cells = rows.get(trigger.name);
  if (!cells) {
    cells = {
      tr: el('tr'), name: el('td'), state: el('td'), replicas: el('td', null, 'replicas number'), lag: el('td'),
      rate: el('td', null, 'rate number'), succeeded: el('td', null, 'succeeded number'),
      retried: el('td', null, 'retried number'), deadLettered: el('td', null, 'deadLettered number'),
      decision: el('td', null, 'decision'), links: el('td', null, 'links'), linkedFunction: null,
    };
    cells.tr.dataset.trigger = trigger.name;
    cells.tr.append(cells.name, cells.state, cells.replicas, cells.lag, cells.rate, cells.succeeded, cells.retried,
      cells.deadLettered, cells.decision, cells.links);
    rows.set(trigger.name, cells);
  }
  const scaling = trigger.scaling || {};
  const events = trigger.events || {};
  cells.name.replaceChildren(el('strong', trigger.name),
    el('span', trigger.kind + ' · ' + trigger.topic + ' → ' + trigger.function, 'sub'));

  const idle = trigger.state === 'running' && trigger.replicas === 0 && scaling.desiredReplicas === 0;
  const known = STATES.includes(trigger.state) ? 'state-' + trigger.state : '';
  cells.state.replaceChildren(el('span', idle ? 'idle' : trigger.state, 'state ' + (idle ? 'idle' : known)));
  if (trigger.error) cells.state.append(el('span', trigger.error, 'sub error'));
  for (const warning of trigger.warnings || []) cells.state.append(el('span', warning, 'sub'));

  cells.replicas.textContent = trigger.replicas + ' / ' + (scaling.desiredReplicas ?? '–');
  cells.lag.replaceChildren(chart(trigger.name, scaling, at), el('span', 'now ' + (scaling.lag ?? 0), 'sub'));
  cells.rate.textContent = rate(trigger, at);
  cells.succeeded.textContent = events.succeeded ?? 0;
  cells.retried.textContent = events.retried ?? 0;
  cells.deadLettered.textContent = events.deadLettered ?? 0;
  cells.decision.textContent = scaling.lastDecision || '–';
  if (scaling.decidedAt) cells.decision.append(el('span', new Date(scaling.decidedAt).toLocaleTimeString(), 'sub'));

  if (cells.linkedFunction !== trigger.function) {
    cells.linkedFunction = trigger.function;
    cells.links.replaceChildren(
      detailLink('dead letters', '/api/triggers/' + encodeURIComponent(trigger.name) + '/deadletters?limit=20',
        'Dead letters of ' + trigger.name, showDeadLetters),
      detailLink('logs', '/api/functions/' + encodeURIComponent(trigger.function) + '/logs',
        'Logs of ' + trigger.function, showText));
  }
  return cells.tr;
}

// One line per partition over the last minutes, kept here from the snapshots this page received.
function chart(name, scaling, at) {
  const width = 180;
  const height = 36;
  const samples = (lagHistory.get(name) || []).filter((sample) => sample.at > at - HISTORY_MS);
  const byPartition = scaling.lagByPartition || {};
  if (!samples.length || samples[samples.length - 1].at < at) samples.push({ at, lag: byPartition });
  lagHistory.set(name, samples);
  // The time axis spans what this page saw, at least half a minute and at most the history kept.
  const span = Math.min(HISTORY_MS, Math.max(MIN_SPAN_MS, at - samples[0].at));
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'lag');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
  const partitions = [...new Set(samples.flatMap((sample) => Object.keys(sample.lag)))].sort((a, b) => a - b);
  const max = Math.max(1, ...samples.flatMap((sample) => Object.values(sample.lag)));
  const title = document.createElementNS(SVG, 'title');
  title.textContent = partitions.length
    ? partitions.map((p) => 'partition ' + p + ': ' + (byPartition[p] ?? 0)).join(', ')
    : 'no lag measured in this process';
  svg.append(title);
  for (const partition of partitions) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('class', 'p' + (Number(partition) % 8));
    line.setAttribute('points', samples.map((sample) => {
      const x = width - (at - sample.at) * width / span;
      const y = height - 2 - (sample.lag[partition] || 0) * (height - 4) / max;
      return x.toFixed(1) + ',' + y.toFixed(1);
    }).join(' '));
    svg.append(line);
  }
  return svg;
}

function detailLink(text, href, title, show) {
  const link = el('a', text);
  link.href = href;
  link.addEventListener('click', async (click) => {
    // A plain link would carry no token: fetch it with the one this page was given.
    click.preventDefault();
    $('detail').hidden = false;
    $('detail-title').textContent = title;
    $('detail-body').replaceChildren(el('p', 'loading…', 'note'));
    try {
      const response = await fetch(href, { headers: authHeaders(), cache: 'no-store' });
      if (!response.ok) {
        $('detail-body').replaceChildren(el('p', response.status + ': ' + await problemOf(response), 'error'));
        return;
      }
      show(response);
    } catch (failed) {
      $('detail-body').replaceChildren(el('p', String(failed), 'error'));
    }
  });
  return link;
}

async function showDeadLetters(response) {
  const body = await response.json();
  const letters = body.deadLetters || [];
  if (!letters.length) {
    $('detail-body').replaceChildren(el('p', 'No dead letters on ' + body.topic + '.', 'note'));
    return;
  }
  const table = el('table');
  const head = el('tr');
  const columns = ['time', 'id', 'type', 'errorCode', 'error', 'attempts'];
  columns.forEach((column) => head.append(el('th', column)));
  table.append(el('thead'), el('tbody'));
  table.tHead.append(head);
  for (const letter of letters) {
    const tr = el('tr');
    columns.forEach((column) => tr.append(el('td', letter[column] ?? '')));
    table.tBodies[0].append(tr);
  }
  $('detail-body').replaceChildren(el('p', body.topic, 'note'), table);
}

async function showText(response) {
  $('detail-body').replaceChildren(el('pre', await response.text()));
}

function renderHosts(snapshot) {
  $('hosts-section').hidden = !snapshot.hosts;
  if (!snapshot.hosts) return;
  const head = el('tr');
  head.append(el('th', 'host'), ...snapshot.triggers.map((trigger) => el('th', trigger.name)));
  $('hosts').tHead.replaceChildren(head);
  $('hosts').tBodies[0].replaceChildren(...snapshot.hosts.map((host) => {
    const tr = el('tr');
    tr.dataset.host = host;
    tr.append(el('td', host), ...snapshot.triggers.map((trigger) =>
      el('td', ((trigger.scaling || {}).hosts || {})[host] ?? 0, 'number')));
    return tr;
  }));
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', (submit) => {
    submit.preventDefault();
    token = $('token').value.trim() || null;
    $('token').value = '';
    connect();
  });
  $('detail-close').addEventListener('click', () => { $('detail').hidden = true; });
  connect();
});
