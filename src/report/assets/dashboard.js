// impnet serve's dashboard: every device as the cloud sees it (online,
// offline, never seen; the last reason), its server.log lines, and the fleet's
// connects, failures and messages per minute, live over one event stream.
"use strict";

(function dashboard() {
  const root = document.getElementById("report");
  root.replaceChildren();
  const devices = new Map();
  const logs = new Map();
  let minutes = [];
  let origin = 0;
  let selected = null;

  const live = el("span", { id: "live", role: "status" }, "connecting…");
  const summary = el("p", { class: "sub", id: "counts" });
  const tbody = el("tbody");
  const logTitle = el("h2", { id: "log-title" }, "Logs: select a device");
  const logList = el("ol", { class: "logs", id: "log", "aria-live": "polite" });
  const chartBox = el("div", { class: "chart", id: "minutes-chart", role: "img", "aria-label": "Connects, failures and messages per minute" });
  const caption = el("figcaption", { id: "minutes-caption" });
  root.append(
    el("h1", {}, "impnet dashboard ", live),
    summary,
    el("h2", {}, "Devices"),
    el("div", { class: "scroll" }, el("table", { id: "devices" }, el("thead", {}, el("tr", {}, ["device", "state", "since", "last", "connects", "refused logins", "log lines"].map((h) => el("th", { scope: "col" }, h)))), tbody)),
    el("h2", {}, "The fleet, per minute"),
    el("figure", {}, chartBox, caption),
    logTitle,
    logList,
  );

  const localTime = (t) => (t === null ? "" : new Date(origin + t).toLocaleTimeString("en-GB"));
  const badgeClass = (state) => (state === "online" ? "online" : state === "offline" ? "offline" : "never");

  function renderDevices() {
    const all = [...devices.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    tbody.replaceChildren(
      ...all.map((d) => {
        const row = el(
          "tr",
          { "data-device": d.id, "data-state": d.state, tabindex: "0", "aria-selected": String(d.id === selected) },
          el("th", { scope: "row" }, d.id),
          el("td", {}, el("span", { class: `badge ${badgeClass(d.state)}` }, d.state)),
          el("td", {}, localTime(d.since)),
          el("td", { class: "last" }, d.last),
          el("td", {}, count(d.connects)),
          el("td", {}, count(d.refusals)),
          el("td", {}, count(d.logs)),
        );
        const pick = () => select(d.id);
        row.addEventListener("click", pick);
        row.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && pick());
        return row;
      }),
    );
    const by = (s) => all.filter((d) => d.state === s).length;
    summary.textContent = `${count(all.length)} devices: ${count(by("online"))} online, ${count(by("offline"))} offline, ${count(by("never seen"))} never seen.`;
  }

  function select(id) {
    selected = id;
    renderDevices();
    renderLogs();
  }

  function renderLogs() {
    if (selected === null) return;
    logTitle.textContent = `Logs: ${selected}`;
    logList.replaceChildren(...(logs.get(selected) || []).map((l) => el("li", { class: l.error ? "error" : "" }, `${localTime(l.t)} ${l.text}`)));
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
    caption.textContent = last === undefined ? "Nothing yet." : `This minute: ${count(last.connects)} connects, ${count(last.failures)} failures, ${count(last.messages)} messages.`;
    if (chart === null) chart = lineChart(chartBox, { title: "Per minute", yLabel: "count", xs, series, marks: [] });
    else chart.setData([xs, ...series.map((s) => s.values)]);
  }

  function addLog(line) {
    let list = logs.get(line.id);
    if (list === undefined) logs.set(line.id, (list = []));
    list.push(line);
    if (list.length > 50) list.shift(); // as the board keeps
  }

  const source = new EventSource("/events");
  source.addEventListener("open", () => (live.textContent = "live"));
  source.addEventListener("error", () => (live.textContent = "reconnecting…"));
  source.addEventListener("snapshot", (e) => {
    const s = JSON.parse(e.data);
    origin = s.origin;
    devices.clear();
    for (const d of s.devices) devices.set(d.id, d);
    logs.clear();
    for (const l of s.logs) addLog(l);
    minutes = s.minutes;
    if (selected === null && s.devices.length > 0) selected = [...devices.keys()].sort()[0];
    renderDevices();
    renderLogs();
    renderMinutes();
  });
  source.addEventListener("device", (e) => {
    const d = JSON.parse(e.data);
    devices.set(d.id, d);
    if (selected === null) selected = d.id;
    renderDevices();
  });
  source.addEventListener("log", (e) => {
    const l = JSON.parse(e.data);
    addLog(l);
    if (l.id === selected) renderLogs();
  });
  source.addEventListener("minute", (e) => {
    const m = JSON.parse(e.data);
    if (minutes.length > 0 && minutes[minutes.length - 1].at === m.at) minutes[minutes.length - 1] = m;
    else minutes = [...minutes, m].slice(-60);
    renderMinutes();
  });
})();
