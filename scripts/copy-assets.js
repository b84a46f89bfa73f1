// Copies the report pages' static files (CSS, browser scripts) beside the build: tsc copies only what it compiles.
import { cpSync } from "node:fs";

cpSync(new URL("../src/report/assets", import.meta.url), new URL("../dist/report/assets", import.meta.url), { recursive: true });
