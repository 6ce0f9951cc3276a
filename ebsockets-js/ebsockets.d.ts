// Types of ebsockets.js (the browser client of ebsockets' WebSocket door).

/** The version of the jar that serves this module. */
export const VERSION: string;

/** Close reasons of wire protocol v1, by WebSocket close code (4000 to 4009, and 1013). */
export const CLOSE_CODES: Readonly<Record<number, CloseReason>>;

export type CloseReason =
  | "peer_closed" | "io_error" | "protocol_error" | "idle_timeout" | "slow_consumer"
  | "kicked" | "server_shutdown" | "server_full" | "client_closed" | "unauthorized"
  | "overloaded";

/** A JSON value an event's data may hold. */
export type EventValue =
  | string | number | boolean | null | EventValue[] | { [key: string]: EventValue };

/** An event: a type and its data; requestId is set on a request the server sent. */
export interface EbsocketEvent {
  type: string;
  data: { [key: string]: EventValue };
  requestId?: number;
}

/** Why a connection ended. */
export interface Ending {
  reason: CloseReason | string;
  message: string;
  /** When the server asked to be tried again (server_shutdown, server_full, overloaded). */
  retryAfterMs?: number;
}

export type ConnectionChange =
  /** retryAfterMs: the server's hint; the next attempt waits at least that, plus jitter. */
  | { kind: "disconnected"; reason: CloseReason | string; message: string; retryAfterMs?: number }
  | { kind: "reconnected"; attempts: number }
  /** A resumable client's session carried on: nothing lost or repeated either way. */
  | { kind: "resumed"; attempts: number }
  /**
   * A resumable client came back to a new session: the old one expired (its window passed or its
   * replay buffer overflowed) or the server did not know it (a restart, another node). Events
   * the server sent meanwhile may be lost; unacknowledged holds what this client sent that the
   * server may never have received, handed back rather than sent again.
   */
  | { kind: "session_expired" | "session_unknown"; attempts: number; unacknowledged: EbsocketEvent[] }
  | { kind: "ended"; reason: CloseReason | string; message: string };

export interface ClientOptions {
  /** Members added to the hello, for the server's admission hook (e.g. a token). */
  hello?: { [key: string]: EventValue };
  /** Reconnect after an unexpected disconnect (not after kicked or unauthorized). Default true. */
  reconnect?: boolean;
  /** First backoff ceiling in ms (default 250); each attempt doubles it, up to maxDelayMs. */
  initialDelayMs?: number;
  /** Largest backoff ceiling in ms (default 10000); the delay is random below the ceiling. */
  maxDelayMs?: number;
  /**
   * Events held while reconnecting (default 1000); sendEvent returns false beyond it. A
   * resumable client holds every event until the server acknowledges it, within the same bound.
   */
  offlineBufferEvents?: number;
  /**
   * Ask the server for a resumable session (default false; needs reconnect and a server with
   * resumption): across a dropped connection nothing is lost or repeated in either direction,
   * and pending requests survive; otherwise the change says the session expired or was unknown.
   */
  resumable?: boolean;
  /** The longest payload this client accepts, announced in the hello (default 1 MiB). */
  maxFrameLength?: number;
  /** The WebSocket constructor (default: the browser's). */
  WebSocket?: { new (url: string): WebSocket };
}

export class RequestError extends Error {
  /** "timeout", "offline_buffer_full", or the reason the connection ended. */
  readonly reason: string;
}

export class EbsocketClient implements AsyncIterable<EbsocketEvent> {
  /**
   * @param url ws://host:port/path, wss://..., or /path on the page's own host; or several,
   *     tried in turn by connect() and failed over between when reconnecting (after the server
   *     sent the client away or an attempt failed, the next one; after a network failure, the
   *     same one first)
   */
  constructor(url: string | string[], options?: ClientOptions);
  /** The endpoint connected to, or to be tried next. */
  readonly url: string;
  /** Every endpoint, in the order given. */
  readonly urls: readonly string[];
  readonly state: "new" | "connecting" | "connected" | "reconnecting" | "ended";
  readonly connected: boolean;
  /** Why the last connection ended, or null. */
  readonly closeReason: Ending | null;
  /** Resolves once the server's welcome is in; rejects if the connection ends first. */
  connect(): Promise<void>;
  /** Calls fn for each event; returns a function that stops it. */
  onEvent(fn: (event: EbsocketEvent) => void): () => void;
  onConnectionChange(fn: (change: ConnectionChange) => void): () => void;
  /** True if sent or held while reconnecting; false if the offline buffer is full. */
  sendEvent(type: string, data?: { [key: string]: EventValue }): boolean;
  request(type: string, data?: { [key: string]: EventValue }, timeoutMs?: number): Promise<EbsocketEvent>;
  reply(request: EbsocketEvent, type: string, data?: { [key: string]: EventValue }): boolean;
  close(): void;
  [Symbol.asyncIterator](): AsyncIterator<EbsocketEvent>;
}
