// impnet sim --html: a strip per device over time (online, asleep, each attempt
// coloured by its reason and named in its tooltip), the device's attempts and
// server.log lines, and the fleet's curves when there is a fleet.
"use strict";

(function timelineReport() {
  const data = reportData();
  const root = document.getElementById("report");
  root.replaceChildren();
  const span = Math.max(1, data.durationMs);

  const reasons = new Set(Object.keys(data.fleet.attempts));
  for (const s of data.strips) for (const l of s.lines) if (l.type === "attempt") reasons.add(l.reasonName);
  const colour = reasonColours(reasons);

  root.append(
    el("h1", {}, `impnet sim: ${data.file}`),
    el("p", { class: "sub" }, `${count(data.devices)} device${data.devices === 1 ? "" : "s"}, ${clockTime(data.durationMs)} of virtual time, seed ${data.seed}.`),
  );

  const marks = data.world.map((w) => ({ atMs: w.t, label: Object.entries(w.set).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ") }));
  // On the charts a change is its number in this list.
  const numbered = marks.map((m, k) => ({ atMs: m.atMs, label: String(k + 1) }));
  if (marks.length > 0) root.append(el("h2", {}, "World changes"), el("ol", { class: "why", id: "world" }, marks.map((m) => el("li", {}, `${clockTime(m.atMs)}: ${m.label}`))));

  if (data.devices > 1) {
    const f = data.fleet;
    const xs = f.connected.map((_, k) => (k * f.stepMs) / 1000);
    const per = f.stepMs === 1000 ? "per second" : `per ${f.stepMs / 1000} s`;
    root.append(el("h2", {}, "The fleet"));
    const box = (id, label) => {
      const b = el("div", { class: "chart", id, role: "img", "aria-label": label });
      root.append(el("figure", {}, b, el("figcaption", {}, label)));
      return b;
    };
    const last = f.connected[f.connected.length - 1] || 0;
    lineChart(box("connected-chart", `Devices connected: ${count(last)} of ${count(data.devices)} at the end`), { title: "Devices connected", yLabel: "devices", xs, series: [{ label: "connected", values: f.connected, colour: "#009E73" }], marks: numbered });
    const whys = Object.keys(f.attempts).sort();
    const totals = whys.map((w) => `${w} ${count(f.attempts[w].reduce((a, b) => a + b, 0))}`).join(", ");
    lineChart(box("attempts-chart", `Attempts ${per}, by reason: ${totals || "none"}`), { title: `Attempts ${per}, by reason`, yLabel: "attempts", xs, series: whys.map((w) => ({ label: w, values: f.attempts[w], colour: colour[w] })), marks: numbered });
  }

  root.append(el("h2", {}, data.devices > data.strips.length ? `Devices: the first ${count(data.strips.length)} of ${count(data.devices)}` : "Devices"), stripLegend(colour), stripRuler(0, span, clockTime));
  for (const s of data.strips) root.append(strip(s));

  function strip(s) {
    const { bar, attempts, failed, logs } = deviceStrip(s.id, s.lines, { from: 0, to: span, colour, time: clockTime, marks });
    const details = el(
      "details",
      { "data-device": s.id },
      el("summary", {}, `${s.id}: ${count(attempts.length)} attempts (${count(failed)} failed), ${count(logs.length)} log lines${s.more > 0 ? `; ${count(s.more)} more lines not kept` : ""}`),
      attemptsTable(attempts, clockTime),
      el("ol", { class: "logs" }, logs.map((l) => el("li", { class: l.error ? "error" : "" }, `${clockTime(l.t)} ${l.agent ? "[agent] " : ""}${l.text}`))),
    );
    return el("div", {}, el("div", { class: "strip-row" }, el("span", { class: "strip-id", title: s.id }, s.id), bar), details);
  }
})();
