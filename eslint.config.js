// @ts-check
import js from "@eslint/js";
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
);
