// impnet sim --html: a strip per device over time (online, asleep, each attempt
// coloured by its reason and named in its tooltip), the device's attempts and
// server.log lines, and the fleet's curves when there is a fleet.
"use strict";

(function timelineReport() {
  const data = reportData();
  const root = document.getElementById("report");
  root.replaceChildren();
  const span = Math.max(1, data.durationMs);
  const pct = (t) => `${Math.min(100, Math.max(0, (t / span) * 100)).toFixed(3)}%`;

  const KNOWN = { SERVER_CONNECTED: "#009E73", NO_SERVER: "#D55E00", NO_WIFI: "#E69F00", NO_IP_ADDRESS: "#CC79A7", NOT_RESOLVED: "#0072B2", NO_LINK: "#56B4E9", NOT_AUTHORISED: "#7f3c8d", NO_PROXY: "#a5682a" };
  const reasons = new Set();
  for (const s of data.strips) for (const l of s.lines) if (l.type === "attempt") reasons.add(l.reasonName);
  for (const why of Object.keys(data.fleet.attempts)) reasons.add(why);
  const extra = ["#000000", "#999999", "#3b7a57", "#b8860b"];
  const colour = {};
  let n = 0;
  for (const why of [...reasons].sort()) colour[why] = KNOWN[why] || extra[n++ % extra.length];

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

  root.append(
    el("h2", {}, data.devices > data.strips.length ? `Devices: the first ${count(data.strips.length)} of ${count(data.devices)}` : "Devices"),
    el("div", { class: "legend", id: "legend" }, el("span", {}, el("span", { class: "swatch", style: "background:#009E73" }), "online (top band)"), el("span", {}, el("span", { class: "swatch", style: "background:#8c7ae6" }), "asleep"), [...reasons].sort().map((why) => el("span", {}, el("span", { class: "swatch", style: `background:${colour[why]}` }), `attempt: ${why}`)), el("span", {}, "ticks: server.log lines (errors and program errors in orange)")),
  );
  const ruler = el("div", { class: "ruler" });
  // The end labels sit inside the ruler: centred, they would stick out of a phone's screen.
  for (let k = 0; k <= 6; k++) ruler.append(el("span", { style: `left:${pct((k / 6) * span)};transform:translateX(${k === 0 ? 0 : k === 6 ? -100 : -50}%)` }, clockTime((k / 6) * span)));
  root.append(el("div", { class: "strip-row" }, el("span", {}), ruler));

  for (const s of data.strips) root.append(strip(s));

  function strip(s) {
    const bar = el("div", { class: "strip", "data-device": s.id });
    const attempts = [];
    const logs = [];
    let since = null;
    let state = "offline";
    const close = (t) => {
      if (since !== null && state !== "offline") bar.append(el("span", { class: `state ${state}`, style: `left:${pct(since)};width:${pct(t - since)}`, title: `${state} ${clockTime(since)}–${clockTime(t)}` }));
    };
    const enter = (next, t) => {
      close(t);
      state = next;
      since = t;
    };
    for (const l of s.lines) {
      if (l.type === "connected") enter("online", l.t);
      else if (l.type === "disconnected") enter("offline", l.t);
      else if (l.type === "sleep") enter("asleep", l.t);
      else if (l.type === "boot" && state === "asleep") enter("offline", l.t);
      else if (l.type === "attempt") {
        attempts.push(l);
        const start = l.t - l.ms;
        const layers = (l.layers || []).map((x) => `${x.layer} ${x.ms} ms${x.ok ? "" : " failed"}`).join(", ");
        const tip = `${clockTime(start)} ${l.reasonName}${l.layer ? ` at ${l.layer}` : ""} after ${l.ms} ms${l.detail ? `: ${l.detail}` : ""}${layers ? ` (${layers})` : ""}`;
        bar.append(el("span", { class: "attempt", "data-reason": l.reasonName, style: `left:${pct(start)};width:${pct(l.ms)};background:${colour[l.reasonName]}`, title: tip }, l.reasonName));
      } else if (l.type === "log" || l.type === "error") {
        const line = l.type === "error" ? { t: l.t, text: `program error: ${l.text}`, error: true } : l;
        logs.push(line);
        bar.append(el("span", { class: `log${line.error ? " error" : ""}`, style: `left:${pct(l.t)}`, title: `${clockTime(l.t)} ${line.text}` }));
      }
    }
    close(data.durationMs);
    for (const m of marks) bar.append(el("span", { class: "mark", style: `left:${pct(m.atMs)}`, title: `${clockTime(m.atMs)}: ${m.label}` }));
    const failed = attempts.filter((a) => a.reasonName !== "SERVER_CONNECTED").length;
    bar.setAttribute("role", "img");
    bar.setAttribute("aria-label", `${s.id}: ${attempts.length} attempts, ${failed} failed, ${logs.length} log lines`);
    const details = el(
      "details",
      { "data-device": s.id },
      el("summary", {}, `${s.id}: ${count(attempts.length)} attempts (${count(failed)} failed), ${count(logs.length)} log lines${s.more > 0 ? `; ${count(s.more)} more lines not kept` : ""}`),
      el(
        "div",
        { class: "scroll" },
        el(
          "table",
          { class: "attempts" },
          el("thead", {}, el("tr", {}, ["ended", "reason", "layer", "took", "detail"].map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, attempts.map((a) => el("tr", {}, el("td", {}, clockTime(a.t)), el("td", {}, a.reasonName), el("td", {}, a.layer || ""), el("td", {}, `${count(a.ms)} ms`), el("td", { class: "detail" }, a.detail || "")))),
        ),
      ),
      el("ol", { class: "logs" }, logs.map((l) => el("li", { class: l.error ? "error" : "" }, `${clockTime(l.t)} ${l.agent ? "[agent] " : ""}${l.text}`))),
    );
    return el("div", {}, el("div", { class: "strip-row" }, el("span", { class: "strip-id", title: s.id }, s.id), bar), details);
  }
})();
