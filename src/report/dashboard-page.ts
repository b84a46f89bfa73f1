import { htmlPage } from "./html-page.js";

/** The dashboard's page: static, its data arriving over its origin's /events stream and from /device. */
export function dashboardHtml(): string {
  return htmlPage({ title: "impnet dashboard", script: "dashboard.js", data: {}, live: true });
}
