/**
 * The original library's global constants, same names and values, so code
 * ported from Squirrel reads the same.
 */
export const CM_BLINK_ALWAYS = 0;
export const CM_BLINK_NEVER = 1;
export const CM_BLINK_ON_CONNECT = 2;
export const CM_BLINK_ON_DISCONNECT = 3;
export const CM_FLUSH_TIMEOUT = 30;
export const CM_START_NO_ACTION = 0;
export const CM_START_CONNECTED = 1;
export const CM_START_DISCONNECTED = 2;
export const CM_DEFAULT_CALLBACK_ID = "DEFAULT_CB_ID";

export type BlinkUpBehavior = typeof CM_BLINK_ALWAYS | typeof CM_BLINK_NEVER | typeof CM_BLINK_ON_CONNECT | typeof CM_BLINK_ON_DISCONNECT;
export type StartBehavior = typeof CM_START_NO_ACTION | typeof CM_START_CONNECTED | typeof CM_START_DISCONNECTED;

export const BLINKUP_BEHAVIORS: readonly BlinkUpBehavior[] = [CM_BLINK_ALWAYS, CM_BLINK_NEVER, CM_BLINK_ON_CONNECT, CM_BLINK_ON_DISCONNECT];
export const START_BEHAVIORS: readonly StartBehavior[] = [CM_START_NO_ACTION, CM_START_CONNECTED, CM_START_DISCONNECTED];
