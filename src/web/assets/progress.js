/* global window, document, EventSource */
// Live run progress: follows the runner's journal through server-sent events (no framework, no inline code).
(function () {
  'use strict';
  var section = document.querySelector('[data-progress-url]');
  if (!section || !window.EventSource) return;
  var list = document.getElementById('journal');
  var status = document.getElementById('live-status');
  var seconds = function (ms) {
    return (ms / 1000).toFixed(1) + ' s';
  };
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
  var source = new EventSource(section.getAttribute('data-progress-url'));
  source.addEventListener('open', function () {
    status.textContent = 'live';
  });
  source.addEventListener('error', function () {
    status.textContent = 'reconnecting…';
  });
  source.addEventListener('reset', function () {
    list.textContent = '';
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
    status.textContent =
      record.type === 'run-finished' ? 'run finished' : record.type === 'run-failed' ? 'run failed' : 'live';
  });
})();
