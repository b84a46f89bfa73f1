import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** A file of the uPlot package (the charts), inlined into every page: a report opens offline. */
function uplot(file: "uPlot.iife.min.js" | "uPlot.min.css"): string {
  return readFileSync(require.resolve(`uplot/dist/${file}`), "utf8");
}

/** A script of impnet's own pages (src/report/assets, copied beside the build). */
function asset(file: string): string {
  return readFileSync(new URL(`./assets/${file}`, import.meta.url), "utf8");
}

/** Text for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Data for a `<script type="application/json">`: JSON in which no `<` can
 * close the element early (`</script>` in a device's log line, say).
 */
function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * One self-contained HTML page: its data, uPlot, the shared stylesheet and
 * the page's own script inlined, nothing fetched (the Content-Security-Policy
 * forbids any request; a live page may reach its own origin: the dashboard's
 * event stream and device histories),
 * so a report opens offline and can be mailed as one file.
 */
export function htmlPage(page: { title: string; script: string; data: unknown; /** The page may open an event stream to its own origin (the dashboard). */ live?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:${page.live === true ? "; connect-src 'self'" : ""}">
<title>${escapeHtml(page.title)}</title>
<style>${uplot("uPlot.min.css")}</style>
<style>${asset("report.css")}</style>
</head>
<body>
<main id="report"><p>Loading…</p></main>
<script type="application/json" id="report-data">${scriptJson(page.data)}</script>
<script>${uplot("uPlot.iife.min.js")}</script>
<script>${asset("report-common.js")}</script>
<script>${asset(page.script)}</script>
</body>
</html>
`;
}
