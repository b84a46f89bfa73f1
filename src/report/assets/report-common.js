// Shared by impnet's report pages: reading the page's data, building elements,
// and uPlot charts that fit their container. Plain script: no modules, no network.
"use strict";

/** Okabe-Ito: told apart with the common colour-vision deficiencies; every series also has its name beside its colour. */
const PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#999999"];

function reportData() {
  return JSON.parse(document.getElementById("report-data").textContent);
}

/** An element with attributes and children (strings become text, never HTML). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children.flat()) node.append(typeof c === "string" ? document.createTextNode(c) : c);
  return node;
}

/** Milliseconds as mm:ss (hh:mm:ss past an hour), as the CLI prints times. */
function clockTime(ms) {
  const s = Math.round(ms / 1000);
  const pad = (n) => String(n).padStart(2, "0");
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}` : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

function count(n) {
  return n.toLocaleString("en-US");
}

/**
 * A line chart of series ({label, values, colour?}) over seconds, sized to its
 * container and resized with the window; `marks` are vertical lines with a
 * label (the scenario's events).
 */
function lineChart(container, { title, yLabel, xs, series, marks }) {
  const draw = (u) => {
    const ctx = u.ctx;
    ctx.save();
    ctx.strokeStyle = "#57606a";
    ctx.fillStyle = "#57606a";
    ctx.setLineDash([4, 4]);
    ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
    for (const m of marks) {
      const x = Math.round(u.valToPos(m.atMs / 1000, "x", true));
      ctx.beginPath();
      ctx.moveTo(x, u.bbox.top);
      ctx.lineTo(x, u.bbox.top + u.bbox.height);
      ctx.stroke();
      ctx.fillText(m.label, x + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
    }
    ctx.restore();
  };
  const opts = {
    title,
    width: Math.max(280, container.clientWidth),
    height: 280,
    scales: { x: { time: false } },
    axes: [
      { label: "time", values: (u, splits) => splits.map((v) => clockTime(v * 1000)) },
      // Counts: whole-number ticks only.
      { label: yLabel, size: 60, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6], values: (u, splits) => splits.map((v) => count(v)) },
    ],
    series: [{ label: "time", value: (u, v) => (v == null ? "-" : clockTime(v * 1000)) }, ...series.map((s, i) => ({ label: s.label, stroke: s.colour || PALETTE[i % PALETTE.length], width: 2, value: (u, v) => (v == null ? "-" : count(v)) }))],
    hooks: { draw: [draw] },
  };
  const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)], container);
  addEventListener("resize", () => chart.setSize({ width: Math.max(280, container.clientWidth), height: 280 }));
  return chart;
}
