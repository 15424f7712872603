// The ringcache dashboard page: follows /events (server-sent events) and keeps the DOM in step.
// No framework: the page has three panels whose elements are made once and then only their text
// (or a bar's width) changes, so 64 nodes update at 1/s with a few dozen text writes.
// Stable hooks for tests and scripts: tr[data-node="host:port"] > td[data-field="ops" | "memory" |
// "keys" | "hitrate" | "clients" | "role" | "state" | "shard" | "repl" | "hotkeys"],
// #ring-svg path[data-shard], #ring-legend li[data-shard], #timeline li[data-kind][data-seq].

const SVG = 'http://www.w3.org/2000/svg';
const FIELDS = ['node', 'shard', 'role', 'state', 'ops', 'memory', 'keys', 'hitrate', 'clients', 'repl', 'hotkeys'];
const NUMERIC = new Set(['ops', 'memory', 'keys', 'hitrate', 'clients']);
const MAX_EVENTS = 300;
const HISTORY = 60; // samples of each shard's ops/s drawn in the legend

const $ = (id) => document.getElementById(id);
const rows = new Map(); // addr → { tr, cells: Map(field → td), text: Map(field → string), bar }
let order = '';
const legend = new Map(); // shard → { li, ops: element, spark: polyline, path }
const history = new Map(); // shard → its master's last HISTORY ops/s figures
const colors = new Map(); // shard → its ring colour

function bytes(n) {
  if (n < 1024) return n + ' B';
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return v.toFixed(v < 10 ? 2 : 1) + ' ' + units[i];
}

const NUMBER = new Intl.NumberFormat('en-US'); // one formatter: toLocaleString builds one per call
const count = (n) => NUMBER.format(n);
const percent = (x) => (x === null ? '–' : (x * 100).toFixed(1) + '%');

function setText(row, field, text) {
  if (row.text.get(field) === text) return;
  row.text.set(field, text);
  const td = row.cells.get(field);
  if (field === 'ops') td.firstChild.nodeValue = text;
  else td.textContent = text;
}

function makeRow(addr) {
  const tr = document.createElement('tr');
  tr.dataset.node = addr;
  const cells = new Map();
  for (const f of FIELDS) {
    const td = document.createElement('td');
    td.dataset.field = f;
    if (NUMERIC.has(f)) td.className = 'num';
    if (f === 'ops') td.append(document.createTextNode(''));
    tr.append(td);
    cells.set(f, td);
  }
  const bar = document.createElement('div');
  bar.className = 'bar';
  cells.get('ops').append(bar);
  cells.get('node').textContent = addr;
  const row = { tr, cells, text: new Map(), bar, barWidth: '' };
  rows.set(addr, row);
  return row;
}

function replication(n) {
  if (n.role === 'replica') {
    const lag = (n.lagBytes === null ? '' : ' · lag ' + bytes(n.lagBytes)) + (n.lagSeconds === null ? '' : ', ack ' + n.lagSeconds + ' s ago');
    return '→ ' + (n.master ?? '?') + ' · link ' + (n.link ?? '?') + lag;
  }
  if (n.role === 'master') return n.replicas.length + (n.replicas.length === 1 ? ' replica' : ' replicas');
  return '–';
}

// The top 3 on one line (the full list in the tooltip); "n/a" where the node has no
// RINGCACHE.HOTKEYS (real Redis), "–" while it is down or has none yet.
function hotKeysCell(row, n) {
  const list = n.up ? n.hotKeys : [];
  const text = list === null ? 'n/a' : list.length === 0 ? '–' : list.slice(0, 3).map(([k, c]) => k + ' ' + c).join(' · ');
  if (row.text.get('hotkeys') === text) return;
  row.text.set('hotkeys', text);
  const td = row.cells.get('hotkeys');
  td.textContent = '';
  td.title = list === null || list.length === 0 ? '' : list.map(([k, c]) => k + ': ' + c).join('\n');
  const box = document.createElement('span');
  box.className = 'keys';
  td.append(box);
  if (list === null || list.length === 0) { box.textContent = text; return; }
  list.slice(0, 3).forEach(([k, c], i) => {
    if (i > 0) box.append(' · ');
    const b = document.createElement('b');
    b.textContent = k;
    box.append(b, ' ' + count(c));
  });
}

function updateNodes(data) {
  const body = $('nodes-body');
  const maxOps = Math.max(1, ...data.nodes.map((n) => n.ops));
  const shardOps = new Map();
  let up = 0;
  let ops = 0;
  for (const n of data.nodes) {
    const row = rows.get(n.addr) ?? makeRow(n.addr);
    if (row.tr.dataset.up !== String(n.up)) row.tr.dataset.up = String(n.up);
    if (row.tr.dataset.role !== n.role) row.tr.dataset.role = n.role;
    if (row.tr.dataset.shard !== n.shard) {
      row.tr.dataset.shard = n.shard;
      row.tr.style.setProperty('--shard', colors.get(n.shard) ?? 'transparent');
    }
    setText(row, 'shard', n.shard || '?');
    setText(row, 'role', n.role);
    setText(row, 'state', n.up ? 'up' : 'down');
    setText(row, 'ops', n.up ? count(n.ops) : '–');
    setText(row, 'memory', n.up ? bytes(n.memory) : '–');
    setText(row, 'keys', n.up ? count(n.keys) : '–');
    const perDb = Object.entries(n.keysPerDb).map(([db, k]) => db + ': ' + count(k)).join('\n');
    if (row.cells.get('keys').title !== perDb) row.cells.get('keys').title = perDb;
    setText(row, 'hitrate', n.up ? percent(n.hitRate) : '–');
    setText(row, 'clients', n.up ? count(n.clients) : '–');
    setText(row, 'repl', n.up ? replication(n) : 'unreachable');
    const why = n.up ? '' : (n.error ?? '');
    if (row.cells.get('repl').title !== why) row.cells.get('repl').title = why;
    hotKeysCell(row, n);
    const w = (n.up ? (100 * n.ops) / maxOps : 0).toFixed(0) + '%';
    if (row.barWidth !== w) { row.barWidth = w; row.bar.style.width = w; }
    if (n.up) { up++; ops += n.ops; }
    if (n.up && n.role === 'master') shardOps.set(n.shard, (shardOps.get(n.shard) ?? 0) + n.ops);
  }
  const now = data.nodes.map((n) => n.addr).join(',');
  if (now !== order) { // the node set changed: put the rows in the server's order (shard, address)
    order = now;
    for (const n of data.nodes) body.append(rows.get(n.addr).tr);
  }
  for (const [name, el] of legend) {
    // A shard with no master up right now: its arcs and legend entry are dimmed.
    const state = shardOps.has(name) ? 'ok' : 'down';
    if (el.li.dataset.state !== state) { el.li.dataset.state = state; el.path.dataset.state = state; }
    const v = shardOps.get(name) ?? 0;
    const t = count(v) + ' ops/s';
    if (el.ops.textContent !== t) el.ops.textContent = t;
    const h = history.get(name) ?? [];
    h.push(v);
    if (h.length > HISTORY) h.shift();
    history.set(name, h);
  }
  drawSparks();
  $('summary').textContent = up + '/' + data.nodes.length + ' nodes up · ' + count(ops) + ' ops/s';
  const sentinels = $('sentinels');
  const live = data.sentinels.filter((s) => s.up).length;
  sentinels.hidden = data.sentinels.length === 0;
  sentinels.textContent = 'Sentinels ' + live + '/' + data.sentinels.length + ' up';
  sentinels.dataset.state = live === data.sentinels.length ? 'ok' : 'degraded';
  sentinels.title = data.sentinels.map((s) => s.addr + (s.up ? ' up' : ' down')).join('\n');
  $('updated').textContent = 'updated ' + new Date(data.time).toLocaleTimeString();
}

// Each shard's ops/s over the last minute, on one scale for all shards (the hot one stands out).
function drawSparks() {
  let max = 1;
  for (const h of history.values()) for (const v of h) if (v > max) max = v;
  for (const [name, el] of legend) {
    const h = history.get(name) ?? [];
    const pts = h.map((v, i) => (i * 60) / (HISTORY - 1) + ',' + (15 - (14 * v) / max).toFixed(1)).join(' ');
    el.spark.setAttribute('points', pts);
  }
}

// An annulus sector from fraction a to fraction b of the circle, clockwise from 12 o'clock.
function sector(a, b, r0, r1) {
  const p = (f, r) => {
    const t = f * 2 * Math.PI - Math.PI / 2;
    return (r * Math.cos(t)).toFixed(2) + ' ' + (r * Math.sin(t)).toFixed(2);
  };
  const large = b - a > 0.5 ? 1 : 0;
  return 'M' + p(a, r1) + 'A' + r1 + ' ' + r1 + ' 0 ' + large + ' 1 ' + p(b, r1) + 'L' + p(b, r0) + 'A' + r0 + ' ' + r0 + ' 0 ' + large + ' 0 ' + p(a, r0) + 'Z';
}

function drawRing(data) {
  const svg = $('ring-svg');
  svg.textContent = '';
  const d = data.shards.map(() => []);
  for (const [a, b, i] of data.arcs) d[i].push(sector(a, b, 70, 100));
  const paths = new Map();
  data.shards.forEach((s, i) => {
    const path = document.createElementNS(SVG, 'path');
    paths.set(s.name, path);
    path.setAttribute('d', d[i].join(''));
    path.setAttribute('fill', s.color);
    path.dataset.shard = s.name;
    const title = document.createElementNS(SVG, 'title');
    title.textContent = s.name + ': ' + (s.share * 100).toFixed(1) + '% of the keyspace';
    path.append(title);
    svg.append(path);
  });
  const label = document.createElementNS(SVG, 'text');
  label.textContent = data.shards.length + ' shards';
  svg.append(label);
  const sub = document.createElementNS(SVG, 'text');
  sub.setAttribute('y', '14');
  sub.textContent = data.vnodes + ' vnodes each';
  svg.append(sub);
  const list = $('ring-legend');
  list.textContent = '';
  legend.clear();
  colors.clear();
  for (const s of data.shards) colors.set(s.name, s.color);
  for (const row of rows.values()) row.tr.style.setProperty('--shard', colors.get(row.tr.dataset.shard) ?? 'transparent');
  for (const s of data.shards) {
    const li = document.createElement('li');
    li.dataset.shard = s.name;
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = s.color;
    const name = document.createElement('span');
    name.textContent = s.name;
    const ops = document.createElement('span');
    ops.className = 'ops';
    const chart = document.createElementNS(SVG, 'svg');
    chart.setAttribute('class', 'spark');
    chart.setAttribute('viewBox', '0 0 60 16');
    const spark = document.createElementNS(SVG, 'polyline');
    spark.setAttribute('stroke', s.color);
    chart.append(spark);
    const share = document.createElement('span');
    share.className = 'share';
    share.dataset.field = 'share';
    share.textContent = (s.share * 100).toFixed(1) + '%';
    li.append(sw, name, share, chart, ops);
    list.append(li);
    legend.set(s.name, { li, ops, spark, path: paths.get(s.name) });
  }
  $('ring-info').textContent = data.arcs.length + ' arcs';
}

function addEvents(events) {
  const list = $('timeline');
  for (const e of events) {
    const li = document.createElement('li');
    li.dataset.kind = e.kind;
    li.dataset.seq = String(e.seq);
    if (e.node) li.dataset.node = e.node;
    if (e.shard) li.dataset.shard = e.shard;
    const t = document.createElement('time');
    t.dateTime = new Date(e.time).toISOString();
    t.textContent = new Date(e.time).toLocaleTimeString();
    li.append(t, e.text);
    list.prepend(li);
  }
  while (list.childElementCount > MAX_EVENTS) list.lastElementChild.remove();
}

function connect() {
  const conn = $('conn');
  const es = new EventSource('/events');
  es.onopen = () => { conn.dataset.state = 'live'; conn.textContent = 'live'; };
  es.onerror = () => { conn.dataset.state = 'down'; conn.textContent = 'reconnecting…'; };
  let boot = null;
  es.addEventListener('hello', (m) => {
    const b = JSON.parse(m.data).boot;
    if (boot !== null && b !== boot) $('timeline').textContent = ''; // a restarted dashboard numbers events anew
    boot = b;
  });
  es.addEventListener('ring', (m) => drawRing(JSON.parse(m.data)));
  es.addEventListener('timeline', (m) => {
    const events = JSON.parse(m.data);
    const seen = Number($('timeline').firstElementChild?.dataset.seq ?? 0);
    addEvents(events.filter((e) => e.seq > seen)); // a reconnect replays the whole timeline
  });
  es.addEventListener('nodes', (m) => {
    const t0 = performance.now();
    updateNodes(JSON.parse(m.data));
    // The last update's cost (parse + DOM), for anyone checking the page keeps up.
    $('updated').dataset.ms = (performance.now() - t0).toFixed(2);
  });
}

connect();
