/* global window, document, EventSource */
// A queued job's live progress (issue 20): the queue's events, whichever worker writes them, appended as they come.
// The words match describeEvent() in src/web/pages/job.ts.
(function () {
  'use strict';
  var section = document.querySelector('[data-job-progress-url]');
  if (!section || !window.EventSource) return;
  var list = document.getElementById('job-events');
  var live = document.getElementById('job-live');
  var badge = document.getElementById('job-state');
  var seen = {};
  Array.prototype.forEach.call(list.querySelectorAll('li[data-seq]'), function (li) {
    seen[li.getAttribute('data-seq')] = true;
  });
  function s(r, k) {
    return r[k] === undefined || r[k] === null ? '' : String(r[k]);
  }
  function describe(r) {
    switch (r.type) {
      case 'job-queued': return 'queued by ' + s(r, 'by') + ' (' + s(r, 'via') + ')';
      case 'job-started': return 'started on ' + s(r, 'host') + ' (pid ' + s(r, 'pid') + '), attempt ' + s(r, 'attempt');
      case 'job-worker-died': return 'worker ' + s(r, 'worker') + ' died (pid ' + s(r, 'pid') + ' on ' + s(r, 'host') + '): queued again';
      case 'job-finished': return 'finished: ' + s(r, 'state') + ' (exit ' + s(r, 'exitCode') + ')';
      case 'run-started': return 'run ' + s(r, 'runId') + ' started' + (r.resumes ? ', resuming ' + s(r, 'resumes') : '');
      case 'step-started': return s(r, 'step') + ': started';
      case 'step-done': return s(r, 'step') + ': ' + (r.skipped === 'journal' ? 'skipped (done by the interrupted run)' : r.skipped ? 'already in place' : 'done');
      case 'run-finished': return 'run finished';
      case 'run-failed': return 'run failed' + (r.step ? ' at ' + s(r, 'step') : '') + ': ' + s(r, 'error');
      case 'run-closed': return 'run closed: ' + s(r, 'outcome');
      default: return s(r, 'type');
    }
  }
  function add(e) {
    if (seen[e.lastEventId]) return;
    seen[e.lastEventId] = true;
    var r = JSON.parse(e.data);
    var li = document.createElement('li');
    li.setAttribute('data-seq', e.lastEventId);
    var t = document.createElement('time');
    t.setAttribute('datetime', r.at || '');
    t.textContent = String(r.at || '').slice(11, 19);
    li.appendChild(t);
    li.appendChild(document.createTextNode(' ' + describe(r)));
    list.appendChild(li);
    if (r.type === 'job-started') badge.textContent = 'running';
    if (r.type === 'job-worker-died') badge.textContent = 'queued';
    if (r.type === 'job-finished') badge.textContent = r.state;
  }
  var source = new EventSource(section.getAttribute('data-job-progress-url'));
  source.addEventListener('journal', add);
  source.addEventListener('job', add);
  source.addEventListener('end', function () {
    live.textContent = 'This job has run.';
    source.close();
  });
})();
