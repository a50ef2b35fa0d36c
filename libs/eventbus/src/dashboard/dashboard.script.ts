/**
 * The dashboard's browser script, inlined in the page (its hash is in the Content-Security-Policy).
 * Plain ES2020 that runs as is in any current browser: it polls the lag endpoint next to the page,
 * keeps what it polled since the page opened for the charts, and updates the page in place. Every
 * value from the data reaches the page through `textContent` or an attribute value, never as
 * markup. Fields that the lag endpoint does not (yet) send show as "—".
 */
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var POLL_MS = 1500;
  var TIMEOUT_MS = 4000;
  var HISTORY_MS = 10 * 60 * 1000;
  var CHART_W = 260;
  var CHART_H = 56;
  var SVG = 'http://www.w3.org/2000/svg';
  var STATUSES = ['OK', 'WARN', 'STALL', 'STOP'];
  // Relative to the page, so the dashboard works behind a path prefix (…/streams/dashboard → …/streams/lag).
  var lagUrl = location.pathname.charAt(location.pathname.length - 1) === '/' ? '../lag' : 'lag';

  var main = document.getElementById('streams');
  var banner = document.getElementById('banner');
  var updated = document.getElementById('updated');
  var summary = document.getElementById('summary');
  var streamViews = new Map();
  var history = new Map();
  var lastOk = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, String(attrs[key]));
    return node;
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function count(v) { return isNum(v) ? v.toLocaleString('en-US') : '—'; }
  function duration(ms) {
    if (!isNum(ms)) return '—';
    if (ms < 1000) return Math.round(ms) + ' ms';
    var s = ms / 1000;
    if (s < 60) return s.toFixed(1) + ' s';
    var m = Math.floor(s / 60);
    if (m < 60) return m + ' min ' + Math.floor(s % 60) + ' s';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min';
  }
  function rate(v) { return isNum(v) ? (v < 10 ? v.toFixed(1) : Math.round(v).toLocaleString('en-US')) + '/s' : '—'; }
  function drain(v) { return isNum(v) ? duration(v * 1000) : '—'; }
  function status(v) { return STATUSES.indexOf(v) >= 0 ? v : '—'; }
  function clock(t) { return new Date(t).toLocaleTimeString('en-GB'); }

  function streamView(stream) {
    var view = streamViews.get(stream);
    if (view) return view;
    var section = el('section', 'stream');
    section.setAttribute('data-stream', stream);
    var h2 = el('h2');
    h2.appendChild(el('span', 'name', stream));
    var facts = el('span', 'facts');
    h2.appendChild(facts);
    section.appendChild(h2);
    var table = el('table');
    var head = el('tr');
    [['Status'], ['Group'], ['Lag', 'num'], ['Pending', 'num'], ['Time lag', 'num'], ['Rate out', 'num'], ['Drain', 'num'],
     ['Dead letters', 'num'], ['Consumers'], ['Lag over time']].forEach(function (c) { head.appendChild(el('th', c[1], c[0])); });
    var thead = el('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var body = el('tbody');
    table.appendChild(body);
    section.appendChild(table);
    main.appendChild(section);
    view = { section: section, facts: facts, body: body, rows: new Map() };
    streamViews.set(stream, view);
    return view;
  }

  function groupRow(view, stream, group) {
    var row = view.rows.get(group);
    if (row) return row;
    var tr = el('tr');
    tr.setAttribute('data-stream', stream);
    tr.setAttribute('data-group', group);
    var cells = {};
    [['status'], ['group', 'group'], ['lag', 'num big'], ['pending', 'num'], ['timeLag', 'num'], ['rateOut', 'num'], ['drain', 'num'],
     ['deadLetters', 'num'], ['consumers', 'consumers'], ['chart']].forEach(function (c) {
      var td = el('td', c[1]);
      td.setAttribute('data-field', c[0]);
      cells[c[0]] = td;
      tr.appendChild(td);
    });
    cells.group.textContent = group;
    var pill = el('span', 'status', '—');
    cells.status.appendChild(pill);
    var chart = svg('svg', { class: 'chart', width: CHART_W, height: CHART_H, viewBox: '0 0 ' + CHART_W + ' ' + CHART_H, role: 'img' });
    cells.chart.appendChild(chart);
    view.body.appendChild(tr);
    row = { tr: tr, cells: cells, pill: pill, chart: chart };
    view.rows.set(group, row);
    return row;
  }

  function consumersText(cell, g) {
    cell.textContent = '';
    cell.appendChild(el('b', '', count(g.consumers)));
    var details = Array.isArray(g.consumerDetails) ? g.consumerDetails : [];
    details.slice(0, 3).forEach(function (c) {
      cell.appendChild(el('span', 'detail', String(c.name) + ': ' + count(c.pending) + ' pending, idle ' + duration(c.idleMs)));
    });
    if (details.length > 3) cell.appendChild(el('span', 'detail', '+ ' + (details.length - 3) + ' more'));
    var oldest = g.oldestPending;
    if (oldest && typeof oldest === 'object') {
      cell.appendChild(el('span', 'detail', 'oldest pending ' + String(oldest.id) + ' on ' + String(oldest.consumer) + ', idle ' +
        duration(oldest.idleMs) + ', ' + count(oldest.deliveries) + ' deliveries'));
    }
  }

  function drawChart(chart, points, now) {
    chart.textContent = '';
    var top = 12, bottom = CHART_H - 2, left = 2, right = CHART_W - 2;
    var max = 1;
    points.forEach(function (p) { if (p[1] > max) max = p[1]; });
    var start = points.length ? Math.min(points[0][0], now - 10000) : now - 10000;
    var span = Math.max(now - start, 1);
    function x(t) { return left + ((t - start) / span) * (right - left); }
    function y(v) { return bottom - (v / max) * (bottom - top); }
    chart.appendChild(svg('line', { class: 'axis', x1: left, y1: bottom, x2: right, y2: bottom }));
    var label = svg('text', { x: left, y: 9 });
    label.textContent = 'max ' + count(max) + ' · last ' + duration(span);
    chart.appendChild(label);
    if (points.length === 0) return;
    var line = points.map(function (p) { return x(p[0]).toFixed(1) + ',' + y(p[1]).toFixed(1); }).join(' ');
    var area = x(points[0][0]).toFixed(1) + ',' + bottom + ' ' + line + ' ' + x(points[points.length - 1][0]).toFixed(1) + ',' + bottom;
    chart.appendChild(svg('polygon', { class: 'area', points: area }));
    chart.appendChild(svg('polyline', { class: 'line', points: line }));
  }

  function render(report, now) {
    var streams = Array.isArray(report && report.streams) ? report.streams : [];
    var totalLag = 0, worst = 0, groupsShown = 0;
    var seen = new Set();
    streams.forEach(function (s) {
      var name = String(s.stream);
      seen.add(name);
      var view = streamView(name);
      var facts = ['length ' + count(s.length), 'in ' + rate(s.rateIn)];
      facts.push('entries ' + (s.firstEntryId ? String(s.firstEntryId) : '—') + ' … ' + (s.lastEntryId ? String(s.lastEntryId) : '—'));
      if (isNum(s.trimmed)) facts.push('trimmed ' + count(s.trimmed));
      if (s.exists === false) facts.push('not created yet');
      view.facts.textContent = facts.join(' · ');
      var groups = Array.isArray(s.groups) ? s.groups : [];
      var seenGroups = new Set();
      groups.forEach(function (g) {
        var group = String(g.group);
        seenGroups.add(group);
        groupsShown++;
        var row = groupRow(view, name, group);
        var st = status(g.status);
        row.tr.className = st === '—' ? '' : st;
        row.pill.className = 'status ' + (st === '—' ? '' : st);
        row.pill.textContent = st;
        row.cells.lag.textContent = count(g.lag);
        var pendingText = count(g.pending);
        if (isNum(g.lost) && g.lost > 0) pendingText += ' (lost ' + count(g.lost) + ')';
        row.cells.pending.textContent = pendingText;
        row.cells.timeLag.textContent = duration(g.timeLagMs);
        row.cells.rateOut.textContent = rate(g.rateOut);
        row.cells.drain.textContent = drain(g.drainSeconds);
        row.cells.deadLetters.textContent = count(g.deadLetters);
        consumersText(row.cells.consumers, g);
        var key = name + '\u0000' + group;
        var points = history.get(key) || [];
        if (isNum(g.lag)) points.push([now, g.lag]);
        while (points.length && points[0][0] < now - HISTORY_MS) points.shift();
        history.set(key, points);
        drawChart(row.chart, points, now);
        if (isNum(g.lag)) totalLag += g.lag;
        worst = Math.max(worst, STATUSES.indexOf(st));
      });
      view.rows.forEach(function (row, group) { if (!seenGroups.has(group)) { row.tr.remove(); view.rows.delete(group); } });
    });
    streamViews.forEach(function (view, name) { if (!seen.has(name)) { view.section.remove(); streamViews.delete(name); } });
    var empty = document.getElementById('empty');
    if (empty) empty.remove();
    summary.textContent = streams.length + ' streams · ' + groupsShown + ' groups · total lag ' + count(totalLag) +
      (worst > 0 ? ' · worst status ' + STATUSES[worst] : '');
  }

  function offline(reason) {
    document.body.classList.add('offline');
    banner.textContent = 'Cannot reach the app (' + reason + '). ' +
      (lastOk ? 'Showing data from ' + clock(lastOk) + '. ' : '') + 'Retrying every ' + POLL_MS / 1000 + ' s…';
  }

  function poll() {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    fetch(lagUrl, { cache: 'no-store', headers: { accept: 'application/json' }, signal: controller.signal })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (report) {
        var now = Date.now();
        render(report, now);
        lastOk = now;
        document.body.classList.remove('offline');
        updated.textContent = 'updated ' + clock(now);
      })
      .catch(function (error) {
        offline(error && error.name === 'AbortError' ? 'no answer within ' + TIMEOUT_MS / 1000 + ' s' : String(error && error.message || error));
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, POLL_MS);
      });
  }
  poll();
})();
`;
