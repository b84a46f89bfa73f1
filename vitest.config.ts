import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // Tests and examples import "impnet" by name; point it at the sources so a
    // test never runs against a stale build.
    alias: { impnet: fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    pool: "threads",
  },
});
