// Draws the dashboard's charts from the JSON the page embeds. Every chart has a table with
// the same numbers on the page, so nothing is lost when scripts are off.
(function () {
  "use strict";
  const source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#1f5fa8", "#d9822b", "#2e8b57", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d"];
  const stageColours = ["#ced4da", "#9ec5fe", "#6ea8fe", "#ffda6a", "#75b798", "#146c43"];
  const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const funnel = document.getElementById("chart-funnel");
  if (funnel && data.skills.length) {
    new Chart(funnel, {
      type: "bar",
      data: {
        labels: data.skills.map((s) => s.name),
        datasets: data.stage_labels.map((label, i) => ({
          label: label,
          data: data.skills.map((s) => s.counts[i]),
          backgroundColor: stageColours[i],
        })),
      },
      options: { indexAxis: "y", scales: { x: { stacked: true, title: { display: true, text: "sellers" } }, y: { stacked: true } } },
    });
  }

  const goalLine = (value, label, dash) => ({
    label: label,
    data: data.trend_weeks.map(() => pct(value)),
    borderColor: "#6c757d",
    borderDash: dash,
    pointRadius: 0,
    borderWidth: 1,
  });

  const trend = document.getElementById("chart-trend");
  if (trend && data.skills.length) {
    new Chart(trend, {
      type: "line",
      data: {
        labels: data.trend_weeks,
        datasets: data.skills
          .map((s, i) => ({ label: s.name, data: s.trend.map(pct), borderColor: palette[i % palette.length], tension: 0.2 }))
          .concat([goalLine(data.goal, "Goal", [6, 4]), goalLine(data.stretch, "Stretch", [2, 3])]),
      },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "% at Apply or Master" } } } },
    });
  }

  const leading = document.getElementById("chart-leading");
  if (leading) {
    new Chart(leading, {
      type: "line",
      data: {
        labels: data.weeks,
        datasets: [
          { label: "Attendance", data: data.leading.attendance.map(pct), borderColor: palette[0], spanGaps: true },
          { label: "Answer rate", data: data.leading.answer_rate.map(pct), borderColor: palette[1], spanGaps: true },
          { label: "Recall at review", data: data.leading.recall.map(pct), borderColor: palette[2], spanGaps: true },
        ],
      },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: "%" } } } },
    });
  }

  document.querySelectorAll("canvas.metric-chart").forEach((canvas) => {
    const m = data.metrics[Number(canvas.dataset.index)];
    const flat = (value, label, colour) => ({
      label: label, data: data.weeks.map(() => value), borderColor: colour, borderDash: [6, 4], pointRadius: 0, borderWidth: 1,
    });
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.weeks,
        datasets: [
          { label: m.name + " (" + m.unit + ")", data: m.series, borderColor: palette[0], spanGaps: true, tension: 0.2 },
          flat(m.baseline, "Baseline", "#6c757d"),
          flat(m.target, "Target", "#2e8b57"),
        ],
      },
      options: { scales: { y: { title: { display: true, text: m.unit } } } },
    });
  });
})();
