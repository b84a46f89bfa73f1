import { selfBounded } from "../clock/turn-guard.js";
import { CM_START_CONNECTED } from "../connection-manager/constants.js";
import { ConnectionManager } from "../connection-manager/connection-manager.js";
import type { RootTable } from "../device/api/root.js";
import type { ProgramEntry } from "../device/device.js";

/** How long `return-retry` waits between attempts, and gives each one. */
const RETRY_S = 10;
const CONNECT_TIMEOUT_S = 30;

/**
 * The retry strategies `impnet fleet` knows by name: each a device program,
 * the whole of what differs between them. They are impnet's own code, whose
 * turns end: no watchdog (a thread per turn would weigh on a real fleet).
 */
export const BUILT_IN_STRATEGIES: Readonly<Record<string, { program: ProgramEntry; what: string }>> = {
  suspend: {
    what: "the imp's own SUSPEND_ON_ERROR cycle: 60 s of retries, then 9 minutes' deep sleep (R20)",
    program: selfBounded(() => {}),
  },
  "return-retry": {
    what: `RETURN_ON_ERROR, and server.connect() again ${RETRY_S} s after each failure or loss`,
    program: selfBounded((root: RootTable) => {
      const { server, imp } = root;
      server.setsendtimeoutpolicy(root.RETURN_ON_ERROR as number, root.WAIT_TIL_SENT as number, 10);
      const connect = (): void => {
        server.connect((reason: number) => {
          if (reason !== root.SERVER_CONNECTED) imp.wakeup(RETRY_S, connect);
        }, CONNECT_TIMEOUT_S);
      };
      server.onunexpecteddisconnect(() => connect());
      if (!server.isconnected()) connect(); // a boot that found no server (a swamped broker) started the program offline (R25)
    }),
  },
  // CM_START_CONNECTED: a device whose boot found no server (a fleet booting at once can swamp one) connects
  // when its program starts; with CM_START_NO_ACTION it would wait, offline, for a change that never comes.
  "cm-immediate": {
    what: "ConnectionManager, stayConnected, CM_START_CONNECTED: the library's own immediate retry",
    program: selfBounded((root: RootTable) => void new ConnectionManager(root, { stayConnected: true, startBehavior: CM_START_CONNECTED })),
  },
  "cm-backoff": {
    what: "ConnectionManager, stayConnected, CM_START_CONNECTED, with backoff from 1 to 60 s and full jitter",
    program: selfBounded((root: RootTable) => void new ConnectionManager(root, { stayConnected: true, startBehavior: CM_START_CONNECTED, retry: { minDelay: 1, maxDelay: 60, jitter: "full" } })),
  },
};
