/** impOS's own retry window after a failure or loss (R20, R23, R37). */
export const RETRY_WINDOW_MS = 60_000;
/** R20: how long a device that could not reconnect sleeps before trying again. */
export const OFFLINE_SLEEP_MS = 9 * 60_000;
/** R25: the cold boot's connection window. */
export const BOOT_WINDOW_MS = 10_000;
export const BOOT_WINDOW_CELL_MS = 30_000;
/** R30: a WPS attempt ignores the timeout and ends within this. */
export const WPS_CAP_MS = 120_000;
/** R06, R18: default connect timeouts. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;
export const DEFAULT_CELL_CONNECT_TIMEOUT_MS = 120_000;
/** R27: keepalive after this much silence from the server, dead after the grace with no answer. */
export const KEEPALIVE_IDLE_MS = 60_000;
export const KEEPALIVE_GRACE_MS = 45_000;
/** Program restart delay after an uncaught error (scenario.md). */
export const ERROR_RESTART_MS = 10_000;
