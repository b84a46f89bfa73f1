// The public API of impnet: an explicit list, nothing re-exported wholesale.
// Its types use Node's (Buffer, streams, process.env): the package depends on
// @types/node, and this directive brings them in wherever it is installed.
/// <reference types="node" preserve="true" />

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
export { scenarioJsonSchema } from "./scenario/json-schema.js";
export { FleetTooLargeError } from "./scenario/fleet-memory.js";
export { Simulation } from "./scenario/simulation.js";
export { ProgramLoadError } from "./scenario/load-program.js";
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

// ---- The real stack (issue 3): host network backend, embedded MQTT cloud, agent hosts ----
export { HostLink, HOST_SEND_BUFFER_BYTES } from "./network/host/host-link.js";
export type { HostLinkOptions } from "./network/host/host-link.js";
export { ElapsedClock } from "./network/host/elapsed-clock.js";
export { parseServerUrl, parseProxyUrl, parsePort } from "./network/host/endpoints.js";
export type { ServerEndpoint, ProxyEndpoint } from "./network/host/endpoints.js";
export type { DnsSettings } from "./network/host/resolve-name.js";
export { HostConfigError } from "./network/host/host-errors.js";
export { EmbeddedCloud, REGISTRY_FILE, SERVER_LOG_FILE } from "./cloud/embedded-cloud.js";
export type { EmbeddedCloudOptions } from "./cloud/embedded-cloud.js";
export { AgentHost } from "./cloud/agent-host.js";
export type { AgentHostOptions } from "./cloud/agent-host.js";
export { DeviceRegistry } from "./cloud/device-registry.js";
export type { Principal } from "./cloud/device-registry.js";
export { RegistryError, CloudStartError } from "./cloud/cloud-errors.js";
export { topicFor, partitionOf, partitionFilter, parseTopic, fnv1a32, PARTITIONS } from "./wire/topics.js";
export type { Channel } from "./wire/topics.js";
