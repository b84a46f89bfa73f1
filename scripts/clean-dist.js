// dist/ is rebuilt from nothing: a file whose source was moved or deleted must not ship in the package.
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
