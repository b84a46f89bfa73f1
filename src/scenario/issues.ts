import { SECRET_FIELDS } from "../timeline/redact.js";
import type { z } from "zod";
import { describe } from "../errors.js";

export type PathSegment = string | number;

/** One bad field: where (as segments) and what is wrong with it. */
export interface Issue {
  path: readonly PathSegment[];
  message: string;
  /** Set when the field does not exist at all, so callers can reword it. */
  unknown?: "field" | "device";
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `devices[0].release`, `world.wifi[1].ssid`, `events[2].set["world.server.up"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return "(top level)";
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (NAME.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function issueLine(issue: Issue): string {
  return `${formatPath(issue.path)}: ${issue.message}`;
}

export function prefixed(prefix: readonly PathSegment[], issues: readonly Issue[]): Issue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
}

/** Zod's issues as one line per bad field, in the wording scenario.md promises. */
export function fromZod(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map((p) => (typeof p === "symbol" ? String(p) : p));
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) out.push({ path: [...path, key], message: "unknown field", unknown: "field" });
      continue;
    }
    out.push({ path, message: messageOf(issue, isSecret(path.at(-1))) });
  }
  return out;
}

/** A WiFi key or a password is named, never shown, even when it is the bad value. */
function isSecret(segment: PropertyKey | undefined): boolean {
  return typeof segment === "string" && SECRET_FIELDS.has(segment);
}

function messageOf(issue: z.core.$ZodIssue, secret: boolean): string {
  const got = (input: unknown) => (secret ? `got a ${typeof input} (not shown)` : `got ${describe(input)}`);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `expected ${issue.expected === "int" ? "integer" : issue.expected}, ${got(issue.input)}`;
    case "invalid_value": {
      const values = issue.values.map(String);
      const expected = values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join(", ")}`;
      return `${expected}, ${got(issue.input)}`;
    }
    case "too_small":
      if (issue.origin === "array") return `expected at least ${plural(Number(issue.minimum), "entry", "entries")}`;
      if (issue.origin === "string" && Number(issue.minimum) === 1) return "must not be empty";
      return `expected ${issue.inclusive === false ? "more than" : "at least"} ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `expected at most ${plural(Number(issue.maximum), "entry", "entries")}`;
      return `expected ${issue.inclusive === false ? "less than" : "at most"} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
