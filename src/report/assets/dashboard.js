// impnet serve's dashboard: every device as the cloud sees it (online,
// offline, asleep, never seen; its interface and last reason), the selected
// device's strip of the attempts it reported, its server.log lines, and the
// fleet's connects, failures and messages per minute, live over one event
// stream.
"use strict";

(function dashboard() {
  const root = document.getElementById("report");
  root.replaceChildren();
  const devices = new Map();
  let minutes = [];
  let origin = 0;
  /** Page clock minus the cloud's: a remote browser's clock may be off. */
  let skew = 0;
  let limits = { logs: 50, minutes: 60 };
  /** The device shown below the table: its history as fetched, then kept up to date from the stream. */
  let selected = null;
  let shown = { id: null, lines: [], logs: [], seq: Infinity };
  /** Each fetch of a history is numbered: only the newest one's answer is taken. */
  let fetches = 0;
  /** Log lines for the shown device that arrive while its history is being fetched (those newer than the history are kept). */
  let pending = [];
  let fetching = false;
  // A strip spans the kept history, and at least this much (a device just booted would be one sliver).
  const STRIP_MIN_MS = 10_000;

  const live = el("span", { id: "live", role: "status" }, "connecting…");
  const summary = el("p", { class: "sub", id: "counts" });
  const tbody = el("tbody");
  const deviceTitle = el("h2", { id: "device-title" }, "Select a device");
  const stripBox = el("div", { id: "strip" });
  const attemptsBox = el("details", { id: "attempts" });
  const logTitle = el("h3", { id: "log-title" }, "Logs");
  const logList = el("ol", { class: "logs", id: "log", "aria-live": "polite" });
  const chartBox = el("div", { class: "chart", id: "minutes-chart", role: "img", "aria-label": "Connects, failures and messages per minute" });
  const caption = el("figcaption", { id: "minutes-caption" });
  const headings = ["device", "state", "interface", "since", "last", "failed attempts", "last failure", "connects", "refused logins", "log lines"];
  root.append(
    el("h1", {}, "impnet dashboard ", live),
    summary,
    el("h2", {}, "Devices"),
    el("div", { class: "scroll" }, el("table", { id: "devices" }, el("thead", {}, el("tr", {}, headings.map((h) => el("th", { scope: "col" }, h)))), tbody)),
    deviceTitle,
    el("p", { class: "sub" }, "Attempts appear as the device reports them: it can tell the cloud why it failed only once it has connected again."),
    stripBox,
    attemptsBox,
    logTitle,
    logList,
    el("h2", {}, "The fleet, per minute"),
    el("figure", {}, chartBox, caption),
  );

  const localTime = (t) => (t === null ? "" : new Date(origin + t).toLocaleTimeString("en-GB"));
  const now = () => Date.now() - skew - origin;
  const badgeClass = (state) => (state === "never seen" ? "never" : state);

  function renderDevices() {
    const all = [...devices.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    tbody.replaceChildren(
      ...all.map((d) => {
        const row = el(
          "tr",
          { "data-device": d.id, "data-state": d.state, tabindex: "0", "aria-selected": String(d.id === selected) },
          el("th", { scope: "row" }, d.id),
          el("td", {}, el("span", { class: `badge ${badgeClass(d.state)}` }, d.state)),
          el("td", { class: "iface" }, d.interface),
          el("td", {}, localTime(d.since)),
          el("td", { class: "last" }, d.last),
          el("td", { class: "failed" }, count(d.failed)),
          el("td", { class: "failure" }, d.lastFailure),
          el("td", {}, count(d.connects)),
          el("td", {}, count(d.refusals)),
          el("td", {}, count(d.logs)),
        );
        const pick = () => void select(d.id);
        row.addEventListener("click", pick);
        row.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && pick());
        return row;
      }),
    );
    const by = (s) => all.filter((d) => d.state === s).length;
    summary.textContent = `${count(all.length)} devices: ${count(by("online"))} online, ${count(by("offline"))} offline, ${count(by("asleep"))} asleep, ${count(by("never seen"))} never seen.`;
  }

  /** Shows a device: its history fetched afresh (also when it reports: the report says only whose it was). */
  async function select(id) {
    const fetch_ = ++fetches;
    if (selected !== id) {
      selected = id;
      shown = { id, lines: [], logs: [], seq: Infinity };
      pending = [];
      deviceTitle.textContent = `${id}: loading…`;
      scheduleDevices();
    }
    fetching = true;
    let history;
    try {
      const res = await fetch(`/device?id=${encodeURIComponent(id)}`);
      history = res.ok ? await res.json() : null;
    } catch {
      history = null;
    }
    if (fetch_ !== fetches) return; // a newer fetch is under way
    fetching = false;
    if (history === null) {
      deviceTitle.textContent = `${id}: its history could not be fetched (the page retries when the stream reconnects)`;
      return;
    }
    const logs = [...history.logs, ...pending.filter((u) => u.seq > history.seq).map((u) => u.line)].slice(-limits.logs);
    shown = { id, lines: history.lines, logs, seq: history.seq };
    pending = [];
    renderDevice();
    renderLogs();
  }

  function addLog(u) {
    if (fetching) pending.push(u);
    if (shown.seq === Infinity || u.seq <= shown.seq) return;
    shown.logs = [...shown.logs, u.line].slice(-limits.logs);
    renderLogs();
  }

  function renderDevice() {
    const d = devices.get(shown.id);
    if (d === undefined || shown.seq === Infinity) return;
    deviceTitle.textContent = `${d.id}: ${d.state}${d.interface ? ` on ${d.interface}` : ""}`;
    // The cloud's own view closes the strip: a device that vanished cannot yet have said so itself.
    const cloud = d.since === null ? [] : [{ type: d.state === "online" ? "connected" : d.state === "asleep" ? "sleep" : "disconnected", t: d.since }];
    const logs = shown.logs.map((l) => ({ type: "log", t: l.t, text: `${l.agent ? "[agent] " : ""}${l.text}`, error: l.error }));
    const lines = [...shown.lines, ...cloud, ...logs].sort((a, b) => a.t - b.t);
    const to = Math.max(now(), ...lines.map((l) => l.t));
    const from = Math.min(to - STRIP_MIN_MS, ...lines.map((l) => (l.type === "attempt" ? l.t - l.ms : l.t)));
    const reasons = new Set(shown.lines.filter((l) => l.type === "attempt").map((l) => l.reasonName));
    const colour = reasonColours(reasons);
    const { bar, attempts, failed } = deviceStrip(d.id, lines, { from, to, colour, time: localTime });
    stripBox.replaceChildren(stripLegend(colour), stripRuler(from, to, localTime), el("div", { class: "strip-row" }, el("span", { class: "strip-id", title: d.id }, d.id), bar));
    const open = attemptsBox.open;
    const lost = d.lost > 0 ? `; ${count(d.lost)} older lines it could not keep while offline` : "";
    attemptsBox.replaceChildren(el("summary", {}, `Attempts it reported: ${count(attempts.length)} (${count(failed)} failed)${lost}`), attemptsTable([...attempts].reverse(), localTime));
    attemptsBox.open = open;
  }

  /** Only when a line comes or goes: the list is a live region, and a screen reader reads what is replaced. */
  function renderLogs() {
    logTitle.textContent = `Logs: ${shown.id}`;
    logList.replaceChildren(...shown.logs.map((l) => el("li", { class: l.error ? "error" : "" }, `${localTime(l.t)} ${l.agent ? "[agent] " : ""}${l.text}`)));
  }

  let chart = null;
  function renderMinutes() {
    const xs = minutes.map((m) => m.at / 1000);
    const series = [
      { label: "connects", values: minutes.map((m) => m.connects), colour: "#009E73" },
      { label: "failures", values: minutes.map((m) => m.failures), colour: "#D55E00" },
      { label: "messages", values: minutes.map((m) => m.messages), colour: "#0072B2" },
    ];
    const last = minutes[minutes.length - 1];
    caption.textContent = last === undefined ? "Nothing yet." : `This minute: ${count(last.connects)} connects, ${count(last.failures)} failures (sessions lost, logins refused, attempts reported failed), ${count(last.messages)} messages.`;
    if (chart === null) chart = lineChart(chartBox, { title: "Per minute", yLabel: "count", xs, series, marks: [], xTime: (s) => localTime(s * 1000), xIncrs: [60, 120, 300, 600, 900, 1800, 3600] });
    else chart.setData([xs, ...series.map((s) => s.values)]);
  }

  // The table is drawn at most every quarter second: after an outage thousands of devices change at once.
  let devicesDue = false;
  function scheduleDevices() {
    if (devicesDue) return;
    devicesDue = true;
    setTimeout(() => {
      devicesDue = false;
      renderDevices();
    }, 250);
  }

  const source = new EventSource("/events");
  source.addEventListener("open", () => (live.textContent = "live"));
  source.addEventListener("error", () => (live.textContent = "reconnecting…"));
  source.addEventListener("snapshot", (e) => {
    const s = JSON.parse(e.data);
    origin = s.origin;
    skew = Date.now() - (origin + s.now);
    limits = s.limits;
    devices.clear();
    for (const d of s.devices) devices.set(d.id, d);
    minutes = s.minutes;
    renderDevices();
    renderMinutes();
    // A fresh snapshot (the page reconnected): fetch the shown device's history again.
    const first = selected ?? [...devices.keys()].sort()[0];
    if (first !== undefined) void select(first);
  });
  source.addEventListener("device", (e) => {
    const { device } = JSON.parse(e.data);
    devices.set(device.id, device);
    scheduleDevices();
    if (selected === null) void select(device.id);
    else if (device.id === shown.id) renderDevice();
  });
  source.addEventListener("log", (e) => {
    const u = JSON.parse(e.data);
    if (u.line.id === selected) addLog(u);
  });
  source.addEventListener("report", (e) => {
    const u = JSON.parse(e.data);
    if (u.id === selected) void select(u.id);
  });
  source.addEventListener("minute", (e) => {
    const { minute } = JSON.parse(e.data);
    // A reported attempt counts in the minute it happened, which may be an earlier one.
    minutes = [...minutes.filter((m) => m.at !== minute.at), minute].sort((a, b) => a.at - b.at).slice(-limits.minutes);
    renderMinutes();
  });
  // The strip's right edge is now: it moves on while nothing happens.
  setInterval(renderDevice, 5000);
})();
