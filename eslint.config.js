// @ts-check
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

const realTime = {
  "no-restricted-properties": [
    "error",
    { object: "Date", property: "now", message: "Time comes from the Clock (src/clock/)." },
    { object: "performance", property: "now", message: "Time comes from the Clock (src/clock/)." },
  ],
  "no-restricted-globals": [
    "error",
    { name: "setTimeout", message: "Timers come from the Clock (src/clock/)." },
    { name: "setInterval", message: "Timers come from the Clock (src/clock/)." },
    { name: "setImmediate", message: "Timers come from the Clock (src/clock/)." },
  ],
};

export default tseslint.config(
  { ignores: ["dist/", ".bench-out/", "node_modules/", "**/*.mjs", "bin/", "scripts/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      ...realTime,
    },
  },
  // Only the clock may read real time; benches measure wall time on purpose.
  { files: ["src/clock/**", "bench/**"], rules: { "no-restricted-properties": "off", "no-restricted-globals": "off" } },
  { files: ["eslint.config.js"], ...tseslint.configs.disableTypeChecked },
  // The report pages' browser scripts: classic scripts sharing report-common.js's functions, real time is the browser's.
  {
    files: ["src/report/assets/**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: "script",
      globals: { ...globals.browser, uPlot: "readonly", PALETTE: "readonly", reportData: "readonly", el: "readonly", clockTime: "readonly", count: "readonly", lineChart: "readonly", reasonColours: "readonly", deviceStrip: "readonly", stripLegend: "readonly", stripRuler: "readonly", attemptsTable: "readonly" },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, "no-unused-vars": "off", "@typescript-eslint/no-unused-vars": "off", "no-redeclare": "off", "@typescript-eslint/no-redeclare": "off", "no-restricted-properties": "off", "no-restricted-globals": "off" },
  },
);
