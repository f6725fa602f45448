// Draws the assessment's chart from the figures the page carries; the table beside it says the same.
document.addEventListener("DOMContentLoaded", function () {
  var canvas = document.getElementById("duties-chart");
  if (!canvas || !window.Chart) return;
  var figures = JSON.parse(canvas.dataset.chart);
  new Chart(canvas, {
    type: "bar",
    data: { labels: figures.duties, datasets: [{ label: "按期完成率（%）", data: figures.shares, backgroundColor: "#1f5fa8" }] },
    options: { animation: false, responsive: true, scales: { y: { min: 0, max: 100 } } }
  });
});
