// The public API of impnet: an explicit list, nothing re-exported wholesale.

export {
  REASONS,
  NOT_CONNECTED,
  NO_WIFI,
  NO_LINK,
  NO_IP_ADDRESS,
  NOT_RESOLVED,
  NO_SERVER,
  SERVER_CONNECTED,
  NO_PROXY,
  NOT_AUTHORISED,
  NO_MODEM,
  SIM_ERROR,
  NO_REGISTRATION,
  REGISTRATION_DENIED,
  NO_PPP_CONNECTION,
  PPP_NO_CONNECTIVITY,
  SUSPEND_ON_ERROR,
  RETURN_ON_ERROR,
  RETURN_ON_ERROR_NO_DISCONNECT,
  WAIT_TIL_SENT,
  WAIT_FOR_ACK,
  SEND_OK,
  SEND_ERROR_NOT_CONNECTED,
  SEND_ERROR_TIMEOUT,
  SEND_ERROR_DISCONNECTED,
  SEND_ERROR_WOULDBLOCK,
  PROXY_TYPE_HTTP,
  CONFIG_WIFI,
  CONFIG_PROXY,
  CONFIG_STATIC_NETWORK,
  reasonName,
} from "./constants.js";
export type { ReasonName, InterfaceType, InterfaceId, ErrorPolicy, WaitPolicy } from "./constants.js";
export { RELEASES, NEWEST_RELEASE, FEATURES, constantsFor } from "./releases.js";
export type { Release, Feature } from "./releases.js";
export { ImpnetError, InvalidArgumentError, InvalidStateError, MessageTooLargeError, ScenarioError, RunawayTimersError } from "./errors.js";

export type { Clock, TimerId } from "./clock/clock.js";
export { VirtualClock } from "./clock/virtual-clock.js";
export type { VirtualClockOptions } from "./clock/virtual-clock.js";
export { RealClock } from "./clock/real-clock.js";

export { step, initialState, currentInterface } from "./connection/machine.js";
export type { ConnState, Policy, Mode, Phase } from "./connection/state.js";
export type { ConnEvent, ConnEffect } from "./connection/events.js";

export type { RootTable } from "./device/api/root.js";
export type { ServerApi, ConnectCallback } from "./device/api/server.js";
export type { ImpApi } from "./device/api/imp.js";
export type { NetApi, NetInfo } from "./device/api/net.js";
export type { AgentApi } from "./device/api/agent.js";
export type { ProgramEntry } from "./device/device.js";
export type { AgentRoot, AgentEntry, AgentDeviceApi } from "./cloud/agent-runtime.js";

export { loadScenario, parseScenario } from "./scenario/load.js";
export { Simulation, ProgramLoadError } from "./scenario/simulation.js";
export type { SimulationOptions } from "./scenario/simulation.js";
export type { Scenario, WorldModel, DeviceModel, LayerTimings } from "./scenario/types.js";
export { DEFAULT_TIMINGS } from "./scenario/types.js";

export type { TimelineEvent, TimelineSink, TimelineType, LayerRecord } from "./timeline/events.js";
export { toJsonLine } from "./timeline/json.js";
export { formatHuman } from "./timeline/human.js";
export { ArraySink, CountingSink, StreamSink, TeeSink } from "./timeline/sinks.js";

// ---- ConnectionManager (issue 4): the library imp programs wrap server.connect with ----
export { ConnectionManager } from "./connection-manager/connection-manager.js";
export type { ConnectHandler, TimeoutHandler, DisconnectHandler, Task } from "./connection-manager/connection-manager.js";
export {
  CM_BLINK_ALWAYS,
  CM_BLINK_NEVER,
  CM_BLINK_ON_CONNECT,
  CM_BLINK_ON_DISCONNECT,
  CM_FLUSH_TIMEOUT,
  CM_START_NO_ACTION,
  CM_START_CONNECTED,
  CM_START_DISCONNECTED,
  CM_DEFAULT_CALLBACK_ID,
} from "./connection-manager/constants.js";
export type { BlinkUpBehavior, StartBehavior } from "./connection-manager/constants.js";
export type { ConnectionManagerSettings, RetrySettings } from "./connection-manager/settings.js";
export { UnknownSettingError, InvalidSettingError } from "./connection-manager/setting-errors.js";
