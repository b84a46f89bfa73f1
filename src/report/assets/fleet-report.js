// impnet fleet --html: per strategy, the figures of the CLI's table, devices
// connected and attempts arriving at the server over time, and why attempts
// failed after the scenario's last event.
"use strict";

(function fleetReport() {
  const data = reportData();
  const root = document.getElementById("report");
  root.replaceChildren();
  const runs = data.strategies;
  const back = (ms) => (ms === null ? "never" : `${(ms / 1000).toFixed(1)} s`);
  const peak = (p) => (p === null ? "-" : `${count(p.perSecond)} (${clockTime(p.atMs)})`);
  const swatch = (i) => el("span", { class: "swatch", style: `background:${PALETTE[i % PALETTE.length]}`, "aria-hidden": "true" });

  root.append(
    el("h1", {}, `impnet fleet: ${data.file}`),
    el("p", { class: "sub" }, `${count(data.devices)} devices, ${clockTime(data.durationMs)} of ${data.time}; "back" counts from ${data.fromMs === 0 ? "the start" : `${clockTime(data.fromMs)}, the scenario's last event`}.`),
  );

  const head = ["strategy", "attempts/device", `peak arrivals/s ${clockTime(data.sinceMs)}–${clockTime(data.fromMs)}`, `after ${clockTime(data.fromMs)}`, "50% back", "99% back", "100% back", "connected at end", "errors"];
  root.append(
    el("h2", {}, "Figures"),
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { id: "summary" },
        el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          runs.map((r, i) =>
            el(
              "tr",
              { "data-strategy": r.strategy },
              el("th", { scope: "row", title: r.what }, swatch(i), r.strategy),
              el("td", {}, r.attemptsPerDevice.toFixed(1)),
              el("td", {}, peak(r.peakArrivals.during)),
              el("td", {}, peak(r.peakArrivals.after)),
              el("td", {}, back(r.backMs.p50)),
              el("td", {}, back(r.backMs.p99)),
              el("td", {}, back(r.backMs.p100)),
              el("td", {}, count(r.connectedAtEnd)),
              el("td", {}, count(r.errors)),
            ),
          ),
        ),
      ),
    ),
    el("ul", { class: "why" }, runs.map((r) => el("li", {}, el("strong", {}, r.strategy), `: ${r.what}`))),
  );

  const step = runs[0] ? runs[0].series.stepMs : 1000;
  const points = runs[0] ? runs[0].series.connected.length : 0;
  const xs = Array.from({ length: points }, (_, k) => (k * step) / 1000);
  const marks = data.fromMs === 0 ? [] : data.sinceMs === data.fromMs ? [{ atMs: data.fromMs, label: "last event" }] : [{ atMs: data.sinceMs, label: "first event" }, { atMs: data.fromMs, label: "last event" }];
  const figure = (id, title, caption) => {
    const box = el("div", { class: "chart", id, role: "img", "aria-label": `${title}. ${caption}` });
    root.append(el("figure", {}, box, el("figcaption", {}, caption)));
    return box;
  };
  const stepNote = step === 1000 ? "per second" : `per ${step / 1000} s`;
  const connectedCaption = runs.map((r) => `${r.strategy}: ${count(r.connectedAtEnd)} of ${count(r.devices)} connected at the end, all back ${back(r.backMs.p100)} after the last event`).join("; ");
  const arrivalsCaption = runs.map((r) => `${r.strategy}: peak ${peak(r.peakArrivals.after)} after the last event`).join("; ");
  root.append(el("h2", {}, "Over time"));
  lineChart(figure("connected-chart", "Devices connected", connectedCaption), { title: "Devices connected", yLabel: "devices", xs, series: runs.map((r) => ({ label: r.strategy, values: r.series.connected })), marks });
  lineChart(figure("arrivals-chart", `Attempts reaching the server, ${stepNote}`, arrivalsCaption), { title: `Attempts reaching the server, ${stepNote}`, yLabel: "attempts", xs, series: runs.map((r) => ({ label: r.strategy, values: r.series.arrivals })), marks });

  root.append(
    el("h2", {}, `Attempts that failed after ${clockTime(data.fromMs)}`),
    el(
      "ul",
      { class: "why", id: "failures" },
      runs.map((r) => {
        const all = Object.entries(r.failedAfter);
        return el("li", { "data-strategy": r.strategy }, el("strong", {}, r.strategy), `: ${all.length === 0 ? "none" : all.map(([why, n]) => `${count(n)} ${why}`).join(", ")}`);
      }),
    ),
  );
})();
