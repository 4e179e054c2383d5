// jit-broker SRE dashboard. Plain browser JavaScript, no build step, no dependencies.
//
// Safety rules this file keeps: every value from the API is put on the page as text
// (textContent / createTextNode / setAttribute), never as HTML; no inline script or style (the page's
// Content-Security-Policy forbids both); the token lives in sessionStorage (this tab only) and goes
// to this origin's API only.
'use strict';

(function () {
  const TOKEN_KEY = 'jit-broker.sre-token';
  const REFRESH_MS = 5000;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const $ = (id) => document.getElementById(id);

  /** Why the API refused a call; status 0 when it could not be reached. */
  class ApiError extends Error {
    constructor(status, body) {
      super(body && body.message ? body.message : 'HTTP ' + status);
      this.status = status;
    }
  }

  let timer = null;
  /** The last data each table was drawn from: a table is redrawn only when it changed. */
  const drawn = {};
  /** Reasons typed into pending-approval rows, by request id: a redraw keeps them. */
  const drafts = {};
  /** What the revoke form will revoke: {scope, grantId?, taskId?, workloadId}. */
  let revokeTarget = null;
  let grantFilter = {workloadId: '', environment: ''};

  // ---------- DOM helpers: text only ----------

  /** An element with attributes (set one by one, never parsed) and children (strings become text). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== null && value !== undefined && value !== false) {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function svg(tag, attributes, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, String(value));
    }
    if (text !== undefined) {
      node.textContent = String(text);
    }
    return node;
  }

  function time(iso) {
    return iso ? new Date(iso).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
  }

  function resources(list) {
    return (list || []).map((r) => r.type + '/' + r.id + ' [' + (r.actions || []).join(', ') + ']').join('; ');
  }

  function badge(kind, text) {
    return el('span', {class: 'badge ' + kind}, text);
  }

  function duration(ms) {
    if (ms < 1000) {
      return ms + ' ms';
    }
    const s = ms / 1000;
    if (s < 120) {
      return s.toFixed(s < 10 ? 1 : 0) + ' s';
    }
    return (s / 60).toFixed(s < 600 ? 1 : 0) + ' min';
  }

  /** Replaces a table's rows, unless the data is what it already shows. */
  function fillTable(tableId, items, columns, emptyText, rowAttributes) {
    const key = JSON.stringify(items);
    if (drawn[tableId] === key) {
      return;
    }
    drawn[tableId] = key;
    const body = $(tableId).querySelector('tbody');
    const rows = items.length === 0
      ? [el('tr', {}, el('td', {class: 'empty', colspan: columns}, emptyText))]
      : items.map((item) => rowAttributes(item));
    body.replaceChildren(...rows);
  }

  function showError(id, error) {
    $(id).textContent = error ? 'Could not load: ' + error.message : '';
  }

  // ---------- API ----------

  async function api(method, path, body) {
    const token = sessionStorage.getItem(TOKEN_KEY);
    const headers = {Accept: 'application/json', Authorization: 'Bearer ' + token};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
      response = await fetch(path, {
        method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', redirect: 'error',
      });
    } catch (e) {
      throw new ApiError(0, {message: 'request-service did not answer'});
    }
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (response.status === 401) {
      signOut('The token was refused (expired, or not for this service). Sign in again.');
    }
    if (!response.ok) {
      throw new ApiError(response.status, data);
    }
    return data;
  }

  function query(path, parameters) {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(parameters)) {
      if (value !== '' && value !== null && value !== undefined) {
        search.set(name, value);
      }
    }
    const text = search.toString();
    return text ? path + '?' + text : path;
  }

  // ---------- sign-in ----------

  /** Accepts the token itself or the identity provider's whole answer ({"token": "..."}). */
  function tokenFrom(pasted) {
    const text = pasted.trim();
    if (text.startsWith('{')) {
      try {
        const parsed = JSON.parse(text);
        if (parsed && typeof parsed.token === 'string') {
          return parsed.token.trim();
        }
      } catch (e) {
        return text;
      }
    }
    return text;
  }

  /** The token's subject, for display only: the server verifies the token, the page never does. */
  function subjectOf(token) {
    try {
      const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).sub || '(unknown)';
    } catch (e) {
      return '(unreadable token)';
    }
  }

  function show(view) {
    $('sign-in').hidden = view !== 'sign-in';
    $('not-sre').hidden = view !== 'not-sre';
    $('panels').hidden = view !== 'panels';
    $('session').hidden = view === 'sign-in';
  }

  async function signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    $('whoami').textContent = subjectOf(token);
    try {
      // Any SRE-only read tells whether this identity is an SRE; the answer itself is not used.
      await api('GET', '/v1/ledger?limit=1');
    } catch (e) {
      if (e.status === 403) {
        stopRefreshing();
        show('not-sre');
      } else if (e.status !== 401) {
        $('sign-in-error').textContent = 'Could not sign in: ' + e.message;
        show('sign-in');
      }
      return;
    }
    $('sign-in-error').textContent = '';
    show('panels');
    await refreshAll();
    stopRefreshing();
    timer = setInterval(refreshAll, REFRESH_MS);
  }

  function signOut(message) {
    stopRefreshing();
    sessionStorage.removeItem(TOKEN_KEY);
    for (const key of Object.keys(drawn)) {
      delete drawn[key];
    }
    for (const table of document.querySelectorAll('#panels tbody')) {
      table.replaceChildren();
    }
    $('token').value = '';
    $('whoami').textContent = '';
    $('sign-in-error').textContent = message || '';
    show('sign-in');
  }

  function stopRefreshing() {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }

  // ---------- panels ----------

  async function refreshAll() {
    if (!sessionStorage.getItem(TOKEN_KEY)) {
      return;
    }
    await Promise.all([loadApprovals(), loadGrants(), loadRevocations(), loadBreakGlass(), loadAlerts(),
      loadDeadLetters(), loadDecisionChart()]);
    $('last-refresh').textContent = 'updated ' + time(new Date().toISOString());
  }

  async function panel(errorId, load) {
    try {
      await load();
      showError(errorId, null);
    } catch (e) {
      if (e.status === 403) {
        stopRefreshing();
        show('not-sre');
      } else if (e.status !== 401) {
        showError(errorId, e);
      }
    }
  }

  function loadApprovals() {
    return panel('approvals-error', async () => {
      const data = await api('GET', '/v1/approvals?status=pending');
      $('approvals-count').textContent = '(' + data.approvals.length + ')';
      fillTable('approvals-table', data.approvals, 10, 'No request waits for approval.', (a) => {
        const reason = el('input', {class: 'reason', type: 'text', maxlength: 500, placeholder: 'reason (required)',
          'aria-label': 'reason for request ' + a.requestId});
        reason.value = drafts[a.requestId] || '';
        const approve = el('button', {type: 'button', class: 'approve'}, 'Approve');
        const deny = el('button', {type: 'button', class: 'deny'}, 'Deny');
        const result = el('span', {class: 'result', role: 'status'});
        const enable = () => {
          drafts[a.requestId] = reason.value;
          approve.disabled = deny.disabled = reason.value.trim() === '';
        };
        reason.addEventListener('input', enable);
        enable();
        approve.addEventListener('click', () => decide(a.requestId, true, reason, result));
        deny.addEventListener('click', () => decide(a.requestId, false, reason, result));
        return el('tr', {'data-request-id': a.requestId, class: a.breakGlass ? 'break-glass' : null},
          el('td', {}, time(a.requestedAt)),
          el('td', {}, el('code', {}, a.workloadId)),
          el('td', {}, el('span', {class: 'id'}, a.taskId)),
          el('td', {}, a.environment),
          el('td', {}, resources(a.resources)),
          el('td', {}, a.ttlSeconds + ' s'),
          el('td', {}, a.breakGlass ? [badge('break-glass', 'BREAK-GLASS'), ' '] : null, a.justification),
          el('td', {}, (a.decisionReasons || []).join('; ')),
          el('td', {}, time(a.approvalDeadline)),
          el('td', {}, reason, approve, deny, result));
      });
    });
  }

  async function decide(requestId, approve, reasonInput, result) {
    const reason = reasonInput.value.trim();
    if (reason === '') {
      result.textContent = 'a reason is required';
      return;
    }
    result.textContent = 'sending…';
    try {
      const answer = await api('POST', '/v1/access-requests/' + encodeURIComponent(requestId) + '/approval',
        {approve, reason});
      delete drafts[requestId];
      result.textContent = (approve ? 'approved' : 'denied') + ' (event ' + answer.eventId
        + '); waiting for policy to decide';
    } catch (e) {
      result.textContent = 'refused: ' + e.message;
    }
  }

  function loadGrants() {
    return panel('grants-error', async () => {
      const data = await api('GET', query('/v1/ledger', {
        active: 'true', workloadId: grantFilter.workloadId, environment: grantFilter.environment, limit: 500,
      }));
      $('grants-count').textContent = '(' + data.entries.length + (data.nextCursor ? '+' : '') + ')';
      fillTable('grants-table', data.entries, 8, 'No active grant.', (g) => {
        const buttons = [
          ['revoke-grant', 'Revoke grant', {scope: 'GRANT', grantId: g.grantId, workloadId: g.workloadId}],
          ['revoke-task', 'Revoke task', {scope: 'TASK', taskId: g.taskId, workloadId: g.workloadId}],
          ['revoke-workload', 'Revoke workload', {scope: 'WORKLOAD', workloadId: g.workloadId}],
        ].map(([cls, label, target]) => {
          const button = el('button', {type: 'button', class: cls}, label);
          button.addEventListener('click', () => openRevoke(target));
          return button;
        });
        const breakGlass = g.breakGlass;
        return el('tr', {'data-grant-id': g.grantId, 'data-request-id': g.requestId,
          class: breakGlass ? 'break-glass' : null},
          el('td', {}, time(g.issuedAt)),
          el('td', {}, el('code', {}, g.workloadId)),
          el('td', {}, el('span', {class: 'id'}, g.taskId)),
          el('td', {}, g.environment),
          el('td', {}, breakGlass ? [badge('break-glass', 'BREAK-GLASS'), ' '] : null, el('span', {class: 'id'}, g.grantId)),
          el('td', {}, resources(g.grantedResources || g.resources)),
          el('td', {}, time(g.expiresAt)),
          el('td', {}, buttons));
      });
    });
  }

  function openRevoke(target) {
    revokeTarget = target;
    const what = target.scope === 'GRANT' ? 'grant ' + target.grantId
      : target.scope === 'TASK' ? 'every grant of task ' + target.taskId
        : 'every grant';
    $('revoke-title').textContent = 'Revoke ' + what + ' of ' + target.workloadId;
    $('revoke-reason').value = '';
    $('revoke-confirm').disabled = true;
    $('revoke-result').textContent = '';
    $('revoke-form').hidden = false;
    $('revoke-reason').focus();
  }

  async function confirmRevoke(event) {
    event.preventDefault();
    const reason = $('revoke-reason').value.trim();
    if (!revokeTarget || reason === '') {
      $('revoke-result').textContent = 'a reason is required';
      return;
    }
    const body = {scope: revokeTarget.scope, reason};
    if (revokeTarget.scope === 'GRANT') {
      body.grantId = revokeTarget.grantId;
    } else {
      body.workloadId = revokeTarget.workloadId;
      if (revokeTarget.scope === 'TASK') {
        body.taskId = revokeTarget.taskId;
      }
    }
    $('revoke-confirm').disabled = true;
    try {
      const answer = await api('POST', '/v1/revocations', body);
      $('revoke-result').textContent = 'Revocation requested (event ' + answer.eventId + '); the grants disappear '
        + 'from this list once the revoker has revoked them.';
      $('revoke-form').hidden = true;
      revokeTarget = null;
    } catch (e) {
      $('revoke-result').textContent = 'Refused: ' + e.message;
      $('revoke-confirm').disabled = false;
    }
  }

  /** Revocations of the last 500 revoked requests: the table shows 50, the chart uses all. */
  function loadRevocations() {
    return panel('revocations-error', async () => {
      const data = await api('GET', '/v1/ledger?status=REVOKED&limit=500');
      fillTable('revocations-table', data.entries.slice(0, 50), 8, 'Nothing revoked yet.', (r) => el('tr',
        {'data-request-id': r.requestId, 'data-grant-id': r.grantId, class: r.breakGlass ? 'break-glass' : null},
        el('td', {}, time(r.revokedAt)),
        el('td', {}, el('code', {}, r.workloadId)),
        el('td', {}, el('span', {class: 'id'}, r.taskId)),
        el('td', {}, el('span', {class: 'id'}, r.grantId)),
        el('td', {}, r.revocationReason),
        el('td', {}, r.revocationDetail),
        el('td', {}, el('span', {class: 'id'}, r.causeEventId)),
        el('td', {}, r.enforcedAt ? time(r.enforcedAt) + ' (' + r.enforcementBackend + ')' : 'not yet')));
      drawTimeToRevoke(data.entries);
    });
  }

  function loadBreakGlass() {
    return panel('break-glass-error', async () => {
      const data = await api('GET', '/v1/ledger?breakGlass=true&limit=50');
      fillTable('break-glass-table', data.entries, 8, 'No break-glass request.', (b) => el('tr',
        {'data-request-id': b.requestId, class: 'break-glass'},
        el('td', {}, time(b.requestedAt)),
        el('td', {}, el('code', {}, b.workloadId)),
        el('td', {}, el('span', {class: 'id'}, b.taskId)),
        el('td', {}, b.environment),
        el('td', {}, badge('status', b.status)),
        el('td', {}, b.justification),
        el('td', {}, (b.decisionReasons || []).join('; ')),
        el('td', {}, b.approvedBy || '')));
    });
  }

  function loadAlerts() {
    return panel('alerts-error', async () => {
      const data = await api('GET', '/v1/alerts?limit=50');
      fillTable('alerts-table', data.alerts, 5, 'No alert.', (a) => el('tr',
        {'data-alert-id': a.alertId, class: 'break-glass'},
        el('td', {}, time(a.raisedAt)),
        el('td', {}, badge('break-glass', a.kind)),
        el('td', {}, el('code', {}, a.workloadId)),
        el('td', {}, el('span', {class: 'id'}, a.requestId || '')),
        el('td', {}, a.summary)));
    });
  }

  function loadDeadLetters() {
    return panel('dead-letters-error', async () => {
      const data = await api('GET', '/v1/dead-letters?limit=50');
      fillTable('dead-letters-table', data.deadLetters, 6, 'No dead letter.', (d) => el('tr',
        {'data-source': d.sourceTopic + '-' + d.sourcePartition + '@' + d.sourceOffset},
        el('td', {}, time(d.failedAt)),
        el('td', {}, d.consumer),
        el('td', {}, el('span', {class: 'id'}, d.sourceTopic + '-' + d.sourcePartition + '@' + d.sourceOffset)),
        el('td', {}, d.payloadSize === null ? 'none' : String(d.payloadSize)),
        el('td', {}, d.reason),
        el('td', {}, 'partition ' + d.deadLetterPartition + ', offset ' + d.deadLetterOffset)));
    });
  }

  // ---------- charts (inline SVG) ----------

  function loadDecisionChart() {
    return panel('decisions-error', async () => {
      const data = await api('GET', '/v1/ledger/decisions-per-minute');
      const key = JSON.stringify(data.minutes);
      if (drawn['decisions-chart'] === key) {
        return;
      }
      drawn['decisions-chart'] = key;
      drawDecisions(data.minutes);
    });
  }

  const SERIES = [
    ['approved', 'approved', '#2e7d32'],
    ['denied', 'denied', '#c62828'],
    ['pendingApproval', 'pending approval', '#f9a825'],
  ];

  /** Stacked bars, one per minute. */
  function drawDecisions(minutes) {
    const width = 900, height = 180, left = 36, bottom = 20, top = 8;
    const plotHeight = height - bottom - top;
    const max = Math.max(1, ...minutes.map((m) => m.approved + m.denied + m.pendingApproval));
    const barWidth = (width - left) / Math.max(1, minutes.length);
    const chart = svg('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'decisions per minute by outcome', id: 'decisions-svg'});
    chart.appendChild(svg('line', {x1: left, y1: top, x2: left, y2: top + plotHeight, stroke: '#99a'}));
    chart.appendChild(svg('line', {x1: left, y1: top + plotHeight, x2: width, y2: top + plotHeight, stroke: '#99a'}));
    chart.appendChild(svg('text', {x: left - 4, y: top + 8, 'text-anchor': 'end'}, max));
    chart.appendChild(svg('text', {x: left - 4, y: top + plotHeight, 'text-anchor': 'end'}, 0));
    minutes.forEach((m, i) => {
      let y = top + plotHeight;
      for (const [field, label, colour] of SERIES) {
        const count = m[field];
        if (count > 0) {
          const h = count / max * plotHeight;
          y -= h;
          const bar = svg('rect', {x: left + i * barWidth + 1, y, width: Math.max(1, barWidth - 2), height: h,
            fill: colour, class: 'bar ' + field});
          bar.appendChild(svg('title', {}, time(m.minute) + ': ' + count + ' ' + label));
          chart.appendChild(bar);
        }
      }
      if (i % 10 === 0) {
        chart.appendChild(svg('text', {x: left + i * barWidth, y: height - 4},
          new Date(m.minute).toISOString().slice(11, 16) + 'Z'));
      }
    });
    const legend = el('div', {class: 'legend'}, SERIES.flatMap(([field, label]) => [
      el('span', {class: 'swatch ' + field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}), label]));
    const total = minutes.reduce((sum, m) => sum + m.approved + m.denied + m.pendingApproval, 0);
    $('decisions-chart').replaceChildren(chart, legend, el('p', {class: 'hint', id: 'decisions-total'},
      total + (total === 1 ? ' decision' : ' decisions') + ' in the last hour'));
  }

  const TIME_BUCKETS = [
    ['< 1 s', 1e3], ['1–10 s', 1e4], ['10–60 s', 6e4], ['1–5 min', 3e5], ['5–15 min', 9e5], ['15–60 min', 36e5],
    ['> 1 h', Infinity],
  ];

  function percentile(sorted, p) {
    return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  }

  /** A histogram of revokedAt − issuedAt (how long each revoked grant was live), and enforcement delays. */
  function drawTimeToRevoke(entries) {
    const key = JSON.stringify(entries.map((e) => [e.requestId, e.revokedAt, e.enforcedAt]));
    if (drawn['time-to-revoke-chart'] === key) {
      return;
    }
    drawn['time-to-revoke-chart'] = key;
    const lifetimes = entries.filter((e) => e.issuedAt && e.revokedAt)
      .map((e) => Math.max(0, Date.parse(e.revokedAt) - Date.parse(e.issuedAt))).sort((a, b) => a - b);
    const enforcement = entries.filter((e) => e.enforcedAt && e.revokedAt)
      .map((e) => Math.max(0, Date.parse(e.enforcedAt) - Date.parse(e.revokedAt))).sort((a, b) => a - b);
    const counts = TIME_BUCKETS.map(() => 0);
    for (const ms of lifetimes) {
      counts[TIME_BUCKETS.findIndex(([, limit]) => ms < limit)]++;
    }
    const width = 900, height = 160, bottom = 20, top = 14;
    const plotHeight = height - bottom - top;
    const max = Math.max(1, ...counts);
    const barWidth = width / TIME_BUCKETS.length;
    const chart = svg('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'time to revoke histogram', id: 'time-to-revoke-svg'});
    counts.forEach((count, i) => {
      const h = count / max * plotHeight;
      const x = i * barWidth + 4;
      const bar = svg('rect', {x, y: top + plotHeight - h, width: barWidth - 8, height: h, fill: '#1565c0', class: 'bar'});
      bar.appendChild(svg('title', {}, TIME_BUCKETS[i][0] + ': ' + count));
      chart.appendChild(bar);
      chart.appendChild(svg('text', {x: x + (barWidth - 8) / 2, y: top + plotHeight - h - 2, 'text-anchor': 'middle'},
        count));
      chart.appendChild(svg('text', {x: x + (barWidth - 8) / 2, y: height - 4, 'text-anchor': 'middle'},
        TIME_BUCKETS[i][0]));
    });
    $('time-to-revoke-chart').replaceChildren(chart);
    const summary = lifetimes.length === 0 ? 'No revocation of an issued grant yet.'
      : lifetimes.length + (lifetimes.length === 1 ? ' revocation' : ' revocations') + ': median ' + duration(percentile(lifetimes, 0.5)) + ', p95 '
        + duration(percentile(lifetimes, 0.95)) + ' from issue to revocation'
        + (enforcement.length === 0 ? '.' : '; enforced a median ' + duration(percentile(enforcement, 0.5)) + ' (p95 '
          + duration(percentile(enforcement, 0.95)) + ') after the revocation.');
    $('time-to-revoke-summary').textContent = summary;
  }

  // ---------- wiring ----------

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = tokenFrom($('token').value);
      if (token === '') {
        $('sign-in-error').textContent = 'Paste a token first.';
        return;
      }
      signIn(token);
    });
    $('sign-out').addEventListener('click', () => signOut(''));
    $('refresh').addEventListener('click', () => refreshAll());
    $('grants-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      grantFilter = {workloadId: $('filter-workload').value.trim(), environment: $('filter-environment').value.trim()};
      loadGrants();
    });
    $('filter-clear').addEventListener('click', () => {
      $('filter-workload').value = '';
      $('filter-environment').value = '';
      grantFilter = {workloadId: '', environment: ''};
      loadGrants();
    });
    $('revoke-reason').addEventListener('input', () => {
      $('revoke-confirm').disabled = $('revoke-reason').value.trim() === '';
    });
    $('revoke-form').addEventListener('submit', confirmRevoke);
    $('revoke-cancel').addEventListener('click', () => {
      $('revoke-form').hidden = true;
      revokeTarget = null;
    });
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) {
      signIn(token);
    } else {
      show('sign-in');
    }
  });
}());
