import { htmlPage } from "./html-page.js";

/** What a fleet report shows: the run's setting and one `impnet fleet --json` object per strategy. */
export interface FleetReportData {
  file: string;
  devices: number;
  durationMs: number;
  /** "virtual time", or the real run's description. */
  time: string;
  sinceMs: number;
  fromMs: number;
  strategies: Record<string, unknown>[];
}

/** `impnet fleet --html`: the table, the curves per strategy, why attempts failed after the last event; one file, offline. */
export function fleetReportHtml(data: FleetReportData): string {
  return htmlPage({ title: `impnet fleet: ${data.file}`, script: "fleet-report.js", data });
}
