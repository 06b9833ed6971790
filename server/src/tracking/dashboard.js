// Draws the dashboard's charts as inline SVG from the JSON in #codeward-data; no library, no
// network. Each chart's <figure> gets data-rendered = the number of marks drawn, and <body>
// data-charts-rendered = the number of charts drawn, so tests can tell the charts ran.
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("codeward-data").textContent);
  var colours = { Critical: "#8e1b2e", High: "#d9480f", Medium: "#e8a317", Low: "#3b7dd8", Info: "#7b8794" };

  function el(name, attrs, parent) {
    var node = document.createElementNS(NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }
  function text(parent, x, y, value, attrs) {
    var t = el("text", Object.assign({ x: x, y: y }, attrs || {}), parent);
    t.textContent = String(value);
    return t;
  }
  function svg(figure, width, height) {
    var s = el("svg", { viewBox: "0 0 " + width + " " + height, role: "img" });
    figure.appendChild(s);
    return s;
  }
  function empty(s, width, height) {
    text(s, width / 2, height / 2, "No data yet", { "text-anchor": "middle", "class": "empty" });
    return 0;
  }
  // The top of a value axis with four gridlines at whole, round steps (1, 2 or 5 times a power of ten).
  function niceMax(v) {
    var raw = Math.max(v, 1) / 4, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (Math.max(1, steps[i] * p) >= raw) return 4 * Math.max(1, steps[i] * p);
    return 40 * p;
  }
  function short(label, n) { return label.length > n ? label.slice(0, n - 1) + "\u2026" : label; }

  // Vertical bars: [{label, value, colour}].
  function columns(figure, items) {
    var W = 440, H = 220, left = 34, bottom = 24, top = 14;
    var s = svg(figure, W, H);
    var max = niceMax(Math.max.apply(null, items.map(function (d) { return d.value; }).concat([0])));
    if (!items.some(function (d) { return d.value > 0; })) return empty(s, W, H);
    var plotH = H - bottom - top, band = (W - left) / items.length, marks = 0;
    for (var g = 0; g <= 4; g++) {
      var gy = top + plotH - (plotH * g) / 4;
      el("line", { x1: left, x2: W, y1: gy, y2: gy, "class": "axis" }, s);
      text(s, left - 6, gy + 4, Math.round((max * g) / 4), { "text-anchor": "end" });
    }
    items.forEach(function (d, i) {
      var h = (plotH * d.value) / max, x = left + i * band + band * 0.2;
      var r = el("rect", { x: x, y: top + plotH - h, width: band * 0.6, height: h, fill: d.colour, rx: 3 }, s);
      el("title", {}, r).textContent = d.label + ": " + d.value;
      text(s, x + band * 0.3, top + plotH - h - 4, d.value, { "text-anchor": "middle" });
      text(s, x + band * 0.3, H - 8, d.label, { "text-anchor": "middle" });
      marks++;
    });
    return marks;
  }

  // Horizontal bars: [{label, value}].
  function bars(figure, items, colour) {
    var W = 440, row = 24, left = 250, H = Math.max(items.length, 1) * row + 12;
    var s = svg(figure, W, Math.max(H, 80));
    if (!items.length) return empty(s, W, 80);
    var max = Math.max.apply(null, items.map(function (d) { return d.value; }).concat([1]));
    items.forEach(function (d, i) {
      var y = 6 + i * row, w = ((W - left - 40) * d.value) / max;
      text(s, left - 8, y + 15, short(d.label, 40), { "text-anchor": "end" });
      var r = el("rect", { x: left, y: y + 3, width: Math.max(w, 2), height: row - 8, fill: colour, rx: 3 }, s);
      el("title", {}, r).textContent = d.label + ": " + d.value;
      text(s, left + Math.max(w, 2) + 6, y + 15, d.value);
    });
    return items.length;
  }

  // Two lines over time: [{t, label, open, closed}].
  function lines(figure, points) {
    var W = 440, H = 220, left = 34, right = 12, top = 14, bottom = 28;
    var s = svg(figure, W, H);
    if (!points.length) return empty(s, W, H);
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return Math.max(p.open, p.closed); }).concat([1])));
    var t0 = points[0].t, t1 = points[points.length - 1].t, span = Math.max(t1 - t0, 1);
    var plotW = W - left - right, plotH = H - top - bottom;
    function x(p) { return points.length === 1 ? left + plotW / 2 : left + (plotW * (p.t - t0)) / span; }
    function y(v) { return top + plotH - (plotH * v) / max; }
    for (var g = 0; g <= 4; g++) {
      var gy = y((max * g) / 4);
      el("line", { x1: left, x2: W - right, y1: gy, y2: gy, "class": "axis" }, s);
      text(s, left - 6, gy + 4, Math.round((max * g) / 4), { "text-anchor": "end" });
    }
    text(s, left, H - 8, points[0].label);
    if (points.length > 1) text(s, W - right, H - 8, points[points.length - 1].label, { "text-anchor": "end" });
    var marks = 0;
    [["open", "#d9480f"], ["closed", "#2f9e44"]].forEach(function (series) {
      var key = series[0], colour = series[1];
      var d = points.map(function (p, i) { return (i ? "L" : "M") + x(p).toFixed(1) + " " + y(p[key]).toFixed(1); }).join(" ");
      el("path", { d: d, fill: "none", stroke: colour, "stroke-width": 2.5, "class": "series-" + key }, s);
      points.forEach(function (p) {
        var c = el("circle", { cx: x(p), cy: y(p[key]), r: 3.5, fill: colour }, s);
        el("title", {}, c).textContent = p.label + ": " + p[key] + " " + key;
        marks++;
      });
    });
    return marks;
  }

  var drawn = 0;
  function draw(id, fn) {
    var figure = document.getElementById(id);
    if (!figure) return;
    var marks = fn(figure);
    figure.setAttribute("data-rendered", String(marks));
    drawn++;
  }
  draw("chart-severity", function (f) {
    return columns(f, data.severity.map(function (d) { return { label: d.name, value: d.count, colour: colours[d.name] || "#7b8794" }; }));
  });
  draw("chart-history", function (f) { return lines(f, data.history); });
  draw("chart-rules", function (f) {
    return bars(f, data.rules.map(function (d) { return { label: d.rule.replace(/@v[0-9.]+$/, ""), value: d.count }; }), "#d9480f");
  });
  draw("chart-scans", function (f) {
    return bars(f, data.scans.map(function (d) { return { label: d.name, value: d.findings }; }), "#3b7dd8");
  });
  document.body.setAttribute("data-charts-rendered", String(drawn));

  // Findings table filter: hides rows whose text does not contain every typed word.
  var input = document.getElementById("filter");
  if (input) {
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll("#findings tbody tr").forEach(function (row) {
        var hay = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return hay.indexOf(w) >= 0; });
      });
    });
  }
})();
