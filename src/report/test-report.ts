import { htmlPage } from "./html-page.js";

/** What a test report shows: where the sessions ran, and `impnet test --json`'s lines in order. */
export interface TestReportData {
  /** The configuration file's name. */
  config: string;
  where: string;
  wallMs: number;
  /** The sessions' time on the session clock (the simulator only). */
  deviceMs: number | null;
  records: Record<string, unknown>[];
}

/** `impnet test --html`: the summary, then each session's tests (status as a word, not a colour alone), infos and errors. */
export function testReportHtml(data: TestReportData): string {
  return htmlPage({ title: `impnet test: ${data.config}`, script: "test-report.js", data });
}
