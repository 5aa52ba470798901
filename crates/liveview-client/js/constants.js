// Wire keys, attribute names and timings of the LiveView 1.2 protocol (PROTOCOL.md), defined once.

// Rendered / diff keys (PROTOCOL §4.1).
export const STATIC = "s";
export const ROOT = "r";
export const TEMPLATES = "p";
export const KEYED = "k";
export const KEYED_COUNT = "kc";
export const KEYED_MOVED = "km";
export const COMPONENTS = "c";
export const STREAM = "stream";
export const TITLE = "t";
export const EVENTS = "e";
export const REPLY = "r";

// Attributes the renderer injects (PROTOCOL §4.4).
export const PHX_MAGIC_ID = "data-phx-id";
export const PHX_SKIP = "data-phx-skip";
export const PHX_COMPONENT = "data-phx-component";
export const PHX_VIEW_REF = "data-phx-view";
export const PHX_STREAM = "data-phx-stream";

// Container attributes (PROTOCOL §2.1).
export const PHX_SESSION = "data-phx-session";
export const PHX_STATIC = "data-phx-static";
export const PHX_MAIN = "data-phx-main";
export const PHX_PARENT_ID = "data-phx-parent-id";
export const PHX_STICKY = "data-phx-sticky";
export const PHX_ROOT_ID = "data-phx-root-id";
export const PHX_PID = "data-phx-pid";
export const PHX_LINK = "data-phx-link";
export const PHX_LINK_STATE = "data-phx-link-state";

// Bindings (PROTOCOL §5, §9).
export const PHX_UPDATE = "phx-update";
export const PHX_HOOK = "phx-hook";
export const PHX_VALUE = "phx-value-";
export const PHX_KEY = "phx-key";
export const PHX_TARGET = "phx-target";
export const PHX_DEBOUNCE = "phx-debounce";
export const PHX_THROTTLE = "phx-throttle";
export const PHX_DISABLE_WITH = "phx-disable-with";
export const PHX_NO_UNUSED_FIELD = "phx-no-unused-field";
export const PHX_AUTO_RECOVER = "phx-auto-recover";
export const PHX_PATCH_FOCUSED = "phx-patch-focused";
export const PHX_TRIGGER_ACTION = "phx-trigger-action";

// Container and element classes (PROTOCOL §2.3).
export const PHX_CONNECTED_CLASS = "phx-connected";
export const PHX_LOADING_CLASS = "phx-loading";
export const PHX_ERROR_CLASS = "phx-error";
export const PHX_CLIENT_ERROR_CLASS = "phx-client-error";
export const PHX_SERVER_ERROR_CLASS = "phx-server-error";
export const PHX_DISCONNECTED_CLASS = "phx-disconnected";

// Channel events (PROTOCOL §1.5).
export const CHANNEL_EVENTS = {
  join: "phx_join",
  leave: "phx_leave",
  reply: "phx_reply",
  error: "phx_error",
  close: "phx_close",
  heartbeat: "heartbeat",
};

// Timings (PROTOCOL §8.1).
export const HEARTBEAT_INTERVAL = 30000;
export const JOIN_TIMEOUT = 10000;
export const PUSH_TIMEOUT = 30000;
export const LOADER_TIMEOUT = 1;
export const DISCONNECTED_TIMEOUT = 500;
export const RECONNECT_AFTER_MS = [10, 50, 100, 150, 200, 250, 500, 1000, 2000];
export const RECONNECT_MAX_MS = 5000;
export const REJOIN_AFTER_MS = [1000, 2000, 5000];
export const REJOIN_MAX_MS = 10000;
export const RELOAD_JITTER_MIN = 5000;
export const RELOAD_JITTER_MAX = 10000;
export const FAILSAFE_JITTER = 30000;
export const MAX_RELOADS = 10;
export const CONSECUTIVE_RELOADS = "consecutive-reloads";
export const DEFAULT_DEBOUNCE = 300;

export const FLASH_COOKIE = "__phoenix_flash__";
export const RELOAD_STATUS_COOKIE = "__phoenix_reload_status__";
export const VSN = "2.0.0";
export const LIVEVIEW_VERSION = "1.2.12";
