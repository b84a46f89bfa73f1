// impnet test --html: the summary, then per session its tests (OK or FAIL in
// words, the failure's message and where), infos, runtime and session errors.
"use strict";

(function testReport() {
  const data = reportData();
  const root = document.getElementById("report");
  root.replaceChildren();
  const summary = data.records.find((r) => r.type === "summary") || { tests: 0, assertions: 0, failures: 0, sessions: 0 };
  const broken = data.records.filter((r) => r.type === "session-error").length;
  const failed = summary.failures > 0 || broken > 0;
  root.append(
    el("h1", {}, `impnet test: ${data.config}`),
    el("p", { class: "sub" }, `On ${data.where}; ${(data.wallMs / 1000).toFixed(1)} s${data.deviceMs === null ? "" : `, ${Math.round(data.deviceMs / 1000)} s of device time`}.`),
    el(
      "p",
      { class: `summary${failed ? " failed" : ""}`, id: "summary" },
      `${failed ? "FAILED" : "PASSED"}: ${count(summary.tests)} tests, ${count(summary.assertions)} assertions, ${count(summary.failures)} failures, ${count(summary.sessions)} sessions${broken > 0 ? `, ${broken} broken` : ""}`,
    ),
  );
  let section = null;
  let rows = null;
  for (const r of data.records) {
    if (r.type === "session") {
      rows = el("tbody");
      section = el("section", { class: "session", "data-file": r.file }, el("h2", {}, r.file), el("div", { class: "scroll" }, el("table", { class: "tests" }, el("thead", {}, el("tr", {}, ["test", "status", "assertions", "ms", "message"].map((h) => el("th", { scope: "col", class: h === "assertions" || h === "ms" ? "num" : "" }, h)))), rows)));
      root.append(section);
    } else if (r.type === "test" && rows !== null) {
      const ok = r.status === "ok";
      rows.append(
        el(
          "tr",
          { "data-status": r.status },
          el("td", {}, `${r.case}::${r.method}()`),
          el("td", { class: `status ${ok ? "ok" : "fail"}` }, ok ? "OK" : "FAIL"),
          el("td", { class: "num" }, count(r.assertions)),
          el("td", { class: "num" }, count(r.ms)),
          el("td", { class: "message" }, ok ? "" : `${r.message || "failed"}${r.where ? ` at ${r.where}` : ""}`),
        ),
      );
    } else if (section !== null && (r.type === "info" || r.type === "runtime-error" || r.type === "session-error")) {
      const text = r.type === "info" ? `info: ${r.text}` : r.type === "runtime-error" ? `${r.side} error: ${r.message}` : `session error: ${r.message}`;
      section.append(el("p", { class: r.type === "info" ? "note" : "status fail", "data-kind": r.type }, text));
    }
  }
})();
