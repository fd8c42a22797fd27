/* global window, document */
// Metrics charts (policy "Deployment Metrics"): one bar/line chart per measure and month, drawn by chart.js.
(function () {
  'use strict';
  var data = document.getElementById('metrics-data');
  if (!data || !window.Chart) return;
  var months = JSON.parse(data.textContent || '[]');
  var labels = months.map(function (m) {
    return m.month;
  });
  var charts = [
    ['chart-duration', 'bar', 'Mean duration (min)', 'meanDurationMinutes', '#0b5cad'],
    ['chart-downtime', 'bar', 'Downtime (s)', 'totalDowntimeSeconds', '#a40e26'],
    ['chart-issues', 'bar', 'Issues', 'issues', '#7d4e00'],
    ['chart-ttr', 'line', 'Mean time to resolution (h)', 'meanHoursToResolution', '#6f42c1'],
    ['chart-satisfaction', 'line', 'Mean satisfaction', 'meanSatisfaction', '#116329'],
  ];
  window.mokodeployCharts = charts.map(function (c) {
    var canvas = document.getElementById(c[0]);
    if (!canvas) return null;
    return new window.Chart(canvas, {
      type: c[1],
      data: {
        labels: labels,
        datasets: [
          {
            label: c[2],
            data: months.map(function (m) {
              return m[c[3]];
            }),
            backgroundColor: c[4],
            borderColor: c[4],
            pointRadius: 5,
            spanGaps: true,
          },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true } },
      },
    });
  });
})();
