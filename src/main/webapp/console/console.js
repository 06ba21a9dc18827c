// Guardian Store ops console: reads /health, /api/status, /api/retention and /api/jobs every few
// seconds with the operator's bearer token, and starts purges and backups. No dependencies.
(function () {
  'use strict';

  const TOKEN_KEY = 'guardian-store.operator-token';
  const REFRESH_MS = 5000;
  const APP = location.pathname.replace(/\/console(\/.*)?$/, '');
  const API = APP + '/api';
  const HEALTH = '/health';

  const $ = (id) => document.getElementById(id);
  let timer = null;

  function token() {
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function say(text, isError) {
    const message = $('message');
    message.textContent = text || '';
    message.className = isError ? 'error' : '';
  }

  class HttpError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
    }
  }

  async function call(method, path) {
    const response = await fetch(API + path, {
      method: method,
      headers: { 'Authorization': 'Bearer ' + token(), 'Accept': 'application/json' },
    });
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    if (!response.ok) {
      throw new HttpError(response.status, (body && body.detail) || response.statusText || 'HTTP ' + response.status);
    }
    return body;
  }

  function cell(row, text, className) {
    const td = document.createElement('td');
    td.textContent = text === null || text === undefined ? '–' : String(text);
    if (className) td.className = className;
    row.appendChild(td);
    return td;
  }

  function bytes(n) {
    if (n === null || n === undefined) return null;
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let value = n;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
  }

  // ISO-8601 instants, and zoned times such as 2027-01-01T04:00Z[UTC] (the retention schedule's).
  function when(iso) {
    if (!iso) return null;
    const date = new Date(iso.replace(/\[[^\]]*\]$/, ''));
    return isNaN(date) ? iso : date.toLocaleString();
  }

  function duration(ms) {
    if (ms === undefined || ms === null) return null;
    if (ms < 1000) return ms + ' ms';
    if (ms < 120000) return (ms / 1000).toFixed(1) + ' s';
    return Math.round(ms / 60000) + ' min';
  }

  function renderHealth(health) {
    $('health-status').textContent = health.status;
    $('health-status').className = 'status ' + health.status;
    const list = $('health-checks');
    list.replaceChildren();
    (health.checks || []).forEach((check) => {
      const item = document.createElement('li');
      const data = check.data || {};
      item.textContent = check.name + ': ' + check.status +
        (data.message ? ' — ' + data.message : '');
      item.className = 'status ' + check.status;
      list.appendChild(item);
    });
  }

  function renderConnection(status) {
    const c = status.connection;
    const pool = c.pool;
    const entries = [
      ['Backend', status.backend],
      ['URL', c.url],
      ['User', c.user],
      ['Database', c.database],
      ['Reachable', c.reachable ? 'yes (' + c.latencyMs + ' ms)' : 'NO: ' + c.error],
      ['Pool', pool ? pool.inUse + ' in use, ' + pool.idle + ' idle, ' + pool.size + ' open of ' +
        (pool.maxSize === null ? '?' : pool.maxSize) : 'no figures published'],
      ['Records', status.totals.records],
      ['Storage', bytes(status.totals.storageBytes) || 'not known for every collection'],
    ];
    const list = $('connection');
    list.replaceChildren();
    entries.forEach(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value === null || value === undefined ? '–' : String(value);
      dd.id = 'connection-' + name.toLowerCase();
      list.append(dt, dd);
    });
  }

  function renderCollections(collections) {
    const body = $('collections');
    body.replaceChildren();
    collections.forEach((c) => {
      const row = document.createElement('tr');
      row.dataset.collection = c.name;
      const name = document.createElement('th');
      name.scope = 'row';
      name.textContent = c.name;
      row.appendChild(name);
      cell(row, c.records, 'num').id = 'count-' + c.name;
      cell(row, bytes(c.storage.bytes) || 'unknown', 'num').title = c.storage.measure;
      cell(row, when(c.oldest));
      cell(row, c.retention.period);
      const due = cell(row, c.retention.due + (c.retention.overdue ? ' (overdue)' : ''),
        c.retention.overdue ? 'num overdue' : 'num');
      due.id = 'due-' + c.name;
      body.appendChild(row);
    });
    drawChart(collections);
  }

  // A horizontal bar per collection, its length the storage size (or the record count when the
  // backend reports no sizes), drawn as inline SVG.
  function drawChart(collections) {
    const svg = $('storage-chart');
    const ns = 'http://www.w3.org/2000/svg';
    const sized = collections.every((c) => c.storage.bytes !== null);
    const value = (c) => (sized ? c.storage.bytes : c.records);
    const label = (c) => (sized ? bytes(c.storage.bytes) : c.records + ' records');
    const max = Math.max(1, ...collections.map(value));
    const rowHeight = 22;
    const left = 140;
    const width = 640;
    const barSpace = width - left - 110;
    svg.querySelectorAll('g').forEach((g) => g.remove());
    svg.setAttribute('height', String(collections.length * rowHeight + 4));
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + (collections.length * rowHeight + 4));
    const g = document.createElementNS(ns, 'g');
    collections.forEach((c, i) => {
      const y = i * rowHeight + 2;
      const name = document.createElementNS(ns, 'text');
      name.setAttribute('x', '0');
      name.setAttribute('y', String(y + 15));
      name.textContent = c.name;
      const bar = document.createElementNS(ns, 'rect');
      bar.setAttribute('class', 'bar');
      bar.setAttribute('x', String(left));
      bar.setAttribute('y', String(y + 3));
      bar.setAttribute('height', String(rowHeight - 6));
      bar.setAttribute('width', String(Math.max(1, Math.round(value(c) / max * barSpace))));
      const figure = document.createElementNS(ns, 'text');
      figure.setAttribute('x', String(left + Math.round(value(c) / max * barSpace) + 6));
      figure.setAttribute('y', String(y + 15));
      figure.textContent = label(c);
      g.append(name, bar, figure);
    });
    svg.appendChild(g);
    const what = sized ? 'Storage per collection' : 'Records per collection (the backend reports no sizes)';
    $('chart-caption').textContent = what;
    $('chart-desc').textContent = what + ': ' + collections.map((c) => c.name + ' ' + label(c)).join(', ');
  }

  function renderRetention(retention) {
    const s = retention.schedule;
    $('retention-schedule').textContent = s.enabled
      ? 'Schedule: ' + s.cron + (s.nextRun ? ', next run ' + when(s.nextRun) : '') + ', chunks of ' + s.chunkSize
      : 'Schedule: off';
    const body = $('retention');
    body.replaceChildren();
    retention.policies.forEach((p) => {
      const row = document.createElement('tr');
      cell(row, p.collection);
      cell(row, p.period);
      cell(row, p.source);
      cell(row, when(p.cutoff));
      cell(row, p.due, p.due > 0 ? 'num overdue' : 'num');
      body.appendChild(row);
    });
  }

  function progress(run) {
    return run.steps.map((step) => {
      const m = step.metrics || {};
      const counts = ['READ_COUNT', 'WRITE_COUNT', 'COMMIT_COUNT']
        .filter((k) => m[k] !== undefined)
        .map((k) => k.split('_')[0].toLowerCase() + ' ' + m[k]);
      return step.name + ' ' + step.status + (counts.length ? ' (' + counts.join(', ') + ')' : '');
    }).join('; ') || run.exitStatus || '';
  }

  function renderJobs(jobs, status) {
    const summary = (name, run) => name + ': ' +
      (run ? run.status + (run.end ? ', ended ' + when(run.end) : ', started ' + when(run.start)) : 'none yet');
    $('last-runs').textContent =
      summary('Last backup', status.jobs.lastBackup) + ' · ' + summary('last purge', status.jobs.lastPurge);
    const body = $('jobs');
    body.replaceChildren();
    jobs.items.forEach((run) => {
      const row = document.createElement('tr');
      row.dataset.executionId = run.executionId;
      row.dataset.job = run.job;
      cell(row, run.executionId, 'num');
      cell(row, run.job);
      cell(row, run.status, 'status ' + run.status);
      cell(row, when(run.start));
      cell(row, duration(run.durationMs));
      cell(row, progress(run));
      body.appendChild(row);
    });
  }

  // Each sign-in and sign-out starts a new session: a refresh still under way from an earlier one
  // (a page loaded with the last token, then signed out) must not show its dashboard afterwards.
  let session = 0;

  async function refresh() {
    if (!token()) return;
    const mine = session;
    try {
      const [health, status, retention, jobs] = await Promise.all([
        fetch(HEALTH, { headers: { 'Accept': 'application/json' } }).then((r) => r.json()),
        call('GET', '/status'),
        call('GET', '/retention'),
        call('GET', '/jobs?limit=15'),
      ]);
      if (mine !== session) return;
      renderHealth(health);
      renderConnection(status);
      renderCollections(status.collections);
      renderRetention(retention);
      renderJobs(jobs, status);
      $('dashboard').hidden = false;
      $('updated').textContent = 'Updated ' + new Date().toLocaleTimeString() +
        ', every ' + REFRESH_MS / 1000 + ' s';
    } catch (e) {
      if (mine !== session) return;
      if (e.status === 401) {
        sessionStorage.removeItem(TOKEN_KEY);
        $('dashboard').hidden = true;
        say('The token was refused (401): ' + e.message + ' Paste a valid operator token.', true);
        stop();
      } else if (e.status === 403) {
        say('This token lacks the operator role (403): ' + e.message, true);
      } else {
        say('Could not refresh: ' + e.message, true);
      }
    }
  }

  async function start(label, path) {
    try {
      const run = await call('POST', path);
      say(label + ' started: execution ' + (run && run.executionId !== undefined ? run.executionId : '?') + '.');
    } catch (e) {
      if (e.status === 404) {
        say(label + ' is not available on this server (POST ' + API + path + ' answered 404).', true);
      } else {
        say(label + ' refused (' + e.status + '): ' + e.message, true);
      }
    }
    refresh();
  }

  function schedule() {
    stop();
    timer = setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_MS);
    refresh();
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
  }

  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('token').value.trim().replace(/^Bearer\s+/i, '');
    if (!value) return;
    sessionStorage.setItem(TOKEN_KEY, value);
    $('token').value = '';
    say('');
    session++;
    schedule();
  });
  $('sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    session++;
    stop();
    $('dashboard').hidden = true;
    say('Token forgotten.');
  });
  $('start-purge').addEventListener('click', () => start('Purge', '/retention/runs'));
  $('start-dry-run').addEventListener('click', () => start('Dry run', '/retention/runs?dryRun=true'));
  $('start-backup').addEventListener('click', () => start('Backup', '/backups'));
  document.addEventListener('visibilitychange', () => { if (!document.hidden && timer !== null) refresh(); });

  if (token()) schedule();
}());
