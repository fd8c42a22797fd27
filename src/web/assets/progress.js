/* global window, document, EventSource */
// Live run progress: follows the runner's journal and the record's state through server-sent events
// (no framework, no inline code): the journal list, step N of M with its bar, elapsed time, the state badge.
(function () {
  'use strict';
  var section = document.querySelector('[data-progress-url]');
  if (!section || !window.EventSource) return;
  var list = document.getElementById('journal');
  var status = document.getElementById('live-status');
  var badge = document.getElementById('deployment-state');
  var seconds = function (ms) {
    return (ms / 1000).toFixed(1) + ' s';
  };
  function words(s) {
    if (s < 90) return Math.round(s) + ' s';
    var m = Math.round(s / 60);
    if (m < 60) return m + ' min';
    return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  }
  function describe(r) {
    switch (r.type) {
      case 'run-started':
        return 'run ' + r.runId + ' started' + (r.person ? ' by ' + r.person : '');
      case 'step-started':
        return r.step + ': started';
      case 'step-done':
        return (
          r.step +
          ': ' +
          (r.skipped
            ? 'skipped (' +
              (r.skipped === 'journal' ? 'done by the interrupted run' : 'already in place') +
              ')'
            : 'done') +
          ' in ' +
          seconds(r.durationMs)
        );
      case 'run-finished':
        return 'run finished in ' + seconds(r.durationMs);
      case 'run-failed':
        return 'run failed' + (r.step ? ' at ' + r.step : '') + ': ' + r.error;
      case 'run-closed':
        return 'run ' + r.runId + ' closed: ' + r.outcome + (r.note ? ' (' + r.note + ')' : '');
      default:
        return r.type;
    }
  }
  // the run summary (server-rendered when a run exists; kept up to date here)
  var run = { started: null, done: 0, total: null, outcome: 'running', current: '' };
  var summary = document.getElementById('run-summary');
  if (summary) {
    run.started = summary.getAttribute('data-started') || null;
    run.done = Number(summary.getAttribute('data-done')) || 0;
    run.total = Number(summary.getAttribute('data-total')) || null;
    run.outcome = summary.getAttribute('data-outcome');
  }
  function text(id, value) {
    var el = document.getElementById(id);
    if (el) el.textContent = value;
  }
  function render() {
    if (!summary || !run.started) return;
    var under = run.current && (run.outcome === 'running' || run.outcome === 'failed');
    var n = Math.min(run.done + (under ? 1 : 0), run.total || Infinity);
    var of = ' of ' + (run.total || '?');
    text(
      'run-step',
      run.outcome === 'finished'
        ? 'Finished'
        : run.outcome === 'failed'
          ? 'Failed at step ' + n + of
          : 'Step ' + n + of,
    );
    text('run-current', run.current ? ': ' + run.current : '');
    var bar = document.getElementById('run-progress');
    if (bar) bar.value = run.done;
    summary.className = 'run-summary run-' + run.outcome;
    summary.setAttribute('data-outcome', run.outcome);
  }
  function tick() {
    if (!summary || !run.started || run.outcome !== 'running') return;
    text('run-elapsed', words((Date.now() - Date.parse(run.started)) / 1000));
  }
  window.setInterval(tick, 1000);
  function follow(r) {
    if (r.type === 'run-started') {
      run = { started: r.at, done: 0, total: run.total, outcome: 'running', current: '' };
      if (summary) summary.hidden = false;
    } else if (r.type === 'step-started') run.current = r.step;
    else if (r.type === 'step-done') {
      run.done += 1;
      if (run.current === r.step) run.current = '';
    } else if (r.type === 'run-finished') {
      run.outcome = 'finished';
      run.current = '';
    } else if (r.type === 'run-failed') {
      run.outcome = 'failed';
      run.current = r.step || '';
    }
    render();
  }
  var source = new EventSource(section.getAttribute('data-progress-url'));
  source.addEventListener('open', function () {
    status.textContent = 'live';
  });
  source.addEventListener('error', function () {
    status.textContent = 'reconnecting…';
  });
  source.addEventListener('reset', function () {
    list.textContent = '';
    if (summary) run = { started: run.started, done: 0, total: run.total, outcome: 'running', current: '' };
  });
  source.addEventListener('state', function (event) {
    var state = JSON.parse(event.data).state;
    if (!badge || !state || badge.textContent === state) return;
    badge.textContent = state;
    badge.className = 'state state-' + state;
    badge.setAttribute('data-state', state);
  });
  source.addEventListener('journal', function (event) {
    var record = JSON.parse(event.data);
    var item = document.createElement('li');
    item.className = 'j-' + record.type;
    var time = document.createElement('time');
    time.textContent = record.at;
    item.appendChild(time);
    item.appendChild(document.createTextNode(' ' + describe(record)));
    list.appendChild(item);
    list.scrollTop = list.scrollHeight;
    follow(record);
    status.textContent =
      record.type === 'run-finished' ? 'run finished' : record.type === 'run-failed' ? 'run failed' : 'live';
  });
})();
