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
 * label (the scenario's events); `xTime` writes a time on the axis (seconds
 * into the run by default), `xIncrs` are the steps its ticks may take.
 */
function lineChart(container, { title, yLabel, xs, series, marks, xTime = (v) => clockTime(v * 1000), xIncrs }) {
  // uPlot pads a lone point by a scale of its own making: a minute either side says more.
  const spanOf = (xs, min, max) => (xs.length === 1 ? [xs[0] - 60, xs[0] + 60] : [min, max]);
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
    // One point alone gets a minute either side, not an axis of its own making.
    // Counts: the y axis starts at nothing.
    scales: { x: { time: false, range: (u, min, max) => spanOf(u.data[0], min, max) }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [
      { label: "time", values: (u, splits) => splits.map(xTime), ...(xIncrs === undefined ? {} : { incrs: xIncrs }) },
      // Counts: whole-number ticks only.
      { label: yLabel, size: 60, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6], values: (u, splits) => splits.map((v) => count(v)) },
    ],
    series: [{ label: "time", value: (u, v) => (v == null ? "-" : xTime(v)) }, ...series.map((s, i) => ({ label: s.label, stroke: s.colour || PALETTE[i % PALETTE.length], width: 2, value: (u, v) => (v == null ? "-" : count(v)) }))],
    hooks: { draw: [draw] },
  };
  const chart = new uPlot(opts, [xs, ...series.map((s) => s.values)], container);
  addEventListener("resize", () => chart.setSize({ width: Math.max(280, container.clientWidth), height: 280 }));
  return chart;
}

/** Reasons with a colour of their own (the common ones); any other gets one of the rest. */
const REASON_COLOURS = { SERVER_CONNECTED: "#009E73", NO_SERVER: "#D55E00", NO_WIFI: "#E69F00", NO_IP_ADDRESS: "#CC79A7", NOT_RESOLVED: "#0072B2", NO_LINK: "#56B4E9", NOT_AUTHORISED: "#7f3c8d", NO_PROXY: "#a5682a" };
const OTHER_COLOURS = ["#000000", "#999999", "#3b7a57", "#b8860b"];

/** A colour for every reason named: the known ones theirs, the others in turn. */
function reasonColours(names) {
  // No prototype: a name is data (a device's report names it), "constructor" included.
  const colour = Object.create(null);
  let n = 0;
  for (const why of [...names].sort()) colour[why] = Object.hasOwn(REASON_COLOURS, why) ? REASON_COLOURS[why] : OTHER_COLOURS[n++ % OTHER_COLOURS.length];
  return colour;
}

/**
 * A device's strip between `from` and `to` (ms): its states as a band on top
 * (online, asleep, suspended), each attempt below, coloured by its reason and named in
 * its text and tooltip (layer, detail, layer timings), its log lines as ticks.
 * `lines` are timeline lines in time order; `time` writes a time.
 * Returns the bar, and the attempts and log lines it drew.
 */
function deviceStrip(id, lines, { from, to, colour, time, marks }) {
  const span = Math.max(1, to - from);
  const pct = (t) => `${Math.min(100, Math.max(0, ((t - from) / span) * 100)).toFixed(3)}%`;
  const width = (a, b) => `${Math.min(100, Math.max(0, ((Math.min(b, to) - Math.max(a, from)) / span) * 100)).toFixed(3)}%`;
  const bar = el("div", { class: "strip", "data-device": id });
  const attempts = [];
  const logs = [];
  let since = null;
  let state = "offline";
  const close = (t) => {
    if (since !== null && state !== "offline" && t > from) bar.append(el("span", { class: `state ${state}`, style: `left:${pct(since)};width:${width(since, t)}`, title: `${state} ${time(since)}–${time(t)}` }));
  };
  const enter = (next, t) => {
    close(t);
    state = next;
    since = t;
  };
  for (const l of lines) {
    if (l.type === "connected") enter("online", l.t);
    else if (l.type === "disconnected") enter("offline", l.t);
    else if (l.type === "sleep") enter("asleep", l.t);
    else if (l.type === "boot" && state === "asleep") enter("offline", l.t);
    else if (l.type === "suspend") enter("suspended", l.t);
    else if (l.type === "resume" && state === "suspended") enter("offline", l.t);
    else if (l.type === "attempt") {
      attempts.push(l);
      const start = l.t - l.ms;
      const layers = (l.layers || []).map((x) => `${x.layer} ${x.ms} ms${x.ok ? "" : " failed"}`).join(", ");
      const tip = `${time(start)} ${l.reasonName}${l.layer ? ` at ${l.layer}` : ""} after ${l.ms} ms${l.detail ? `: ${l.detail}` : ""}${layers ? ` (${layers})` : ""}`;
      bar.append(el("span", { class: "attempt", "data-reason": l.reasonName, style: `left:${pct(start)};width:${width(start, l.t)};background:${colour[l.reasonName]}`, title: tip }, l.reasonName));
    } else if (l.type === "log" || l.type === "error") {
      const line = l.type === "error" ? { t: l.t, text: `program error: ${l.text}`, error: true } : l;
      logs.push(line);
      bar.append(el("span", { class: `log${line.error ? " error" : ""}`, style: `left:${pct(l.t)}`, title: `${time(l.t)} ${line.text}` }));
    }
  }
  close(to);
  for (const m of marks || []) bar.append(el("span", { class: "mark", style: `left:${pct(m.atMs)}`, title: `${time(m.atMs)}: ${m.label}` }));
  const failed = attempts.filter((a) => a.reasonName !== "SERVER_CONNECTED").length;
  bar.setAttribute("role", "img");
  bar.setAttribute("aria-label", `${id}: ${attempts.length} attempts, ${failed} failed, ${logs.length} log lines`);
  return { bar, attempts, failed, logs };
}

/** The strip's legend: what each colour means, in words. */
function stripLegend(colour) {
  const swatch = (c) => el("span", { class: "swatch", style: `background:${c}` });
  return el(
    "div",
    { class: "legend", id: "legend" },
    el("span", {}, swatch("#009E73"), "online (top band)"),
    el("span", {}, swatch("#8c7ae6"), "asleep"),
    el("span", {}, swatch("#b0b7bf"), "suspended (the program waits while the imp reconnects)"),
    Object.keys(colour).sort().map((why) => el("span", {}, swatch(colour[why]), `attempt: ${why}`)),
    el("span", {}, "ticks: server.log lines (errors and program errors in orange)"),
  );
}

/** A time axis for strips: seven labels, the end ones inside (centred, they would stick out of a phone's screen). */
function stripRuler(from, to, time) {
  const ruler = el("div", { class: "ruler" });
  for (let k = 0; k <= 6; k++) ruler.append(el("span", { style: `left:${((k / 6) * 100).toFixed(3)}%;transform:translateX(${k === 0 ? 0 : k === 6 ? -100 : -50}%)` }, time(from + (k / 6) * (to - from))));
  return el("div", { class: "strip-row" }, el("span", {}), ruler);
}

/** A table of attempts: when each ended, its reason, the layer that failed, how long it took, the detail. */
function attemptsTable(attempts, time) {
  return el(
    "div",
    { class: "scroll" },
    el(
      "table",
      { class: "attempts" },
      el("thead", {}, el("tr", {}, ["ended", "reason", "layer", "took", "detail"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, attempts.map((a) => el("tr", {}, el("td", {}, time(a.t)), el("td", {}, a.reasonName), el("td", {}, a.layer || ""), el("td", {}, `${count(a.ms)} ms`), el("td", { class: "detail" }, a.detail || "")))),
    ),
  );
}
