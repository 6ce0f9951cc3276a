// ebsockets.js: a browser client for ebsockets' WebSocket door (wire protocol v1,
// docs/PROTOCOL.md). One ES module, no dependencies. It has the shape of the Java client:
// connect, sendEvent, events (a callback and an async iterator), request/reply, reconnecting
// with full-jitter backoff and a bounded offline buffer, resumable sessions (nothing lost or
// repeated across a dropped connection), and close reasons surfaced.
//
// Served by the server itself at /ebsockets.js (Listener.withJavaScriptClient()); its version
// is the jar's (VERSION below is filled in when it is served).

export const VERSION = "@EBSOCKETS_VERSION@";

/** The close reasons of wire protocol v1, by WebSocket close code (4000 to 4009, and 1013). */
export const CLOSE_CODES = Object.freeze({
  4000: "peer_closed", 4001: "io_error", 4002: "protocol_error", 4003: "idle_timeout",
  4004: "slow_consumer", 4005: "kicked", 4006: "server_shutdown", 4007: "server_full",
  4008: "client_closed", 4009: "unauthorized", 1013: "overloaded",
});

/** Losses after which a client with several endpoints tries the same one first. */
const NETWORK_REASONS = new Set(["io_error", "peer_closed", "idle_timeout"]);
/** The longest retry hint heeded: an hour. */
const MAX_RETRY_AFTER_MS = 3600000;
/** A close frame's text that carries a hint: "retry after 2350 ms: server overloaded". */
const RETRY_TEXT = /^retry after (\d{1,7}) ms(?:: )?([\s\S]*)$/;

/** Reasons after which a reconnecting client does not reconnect. */
const FINAL_REASONS = new Set(["client_closed", "kicked", "unauthorized"]);
const MAX_REQUEST_ID = Number.MAX_SAFE_INTEGER;
/**
 * A resumable session acknowledges at once after this many events from the server (unless the
 * welcome asks for another count, session.ackEvery)...
 */
const ACK_EVERY = 32;
/** ...and otherwise within this long of the last one (as the Java client does). */
const ACK_DELAY_MS = 50;

/** A request that got no reply in time, or whose connection ended first. */
export class RequestError extends Error {
  constructor(message, reason) {
    super(message);
    this.name = "RequestError";
    this.reason = reason;
  }
}

export class EbsocketClient {
  /**
   * @param {string | string[]} url e.g. "ws://host:8080/ebs", or a path such as "/ebs" (same
   *     host as the page); or several, tried in turn and failed over between
   * @param {object} [options] see ebsockets.d.ts
   */
  constructor(url, options = {}) {
    const urls = Array.isArray(url) ? url : [url];
    if (urls.length === 0) {
      throw new Error("url: [] (expected: at least one URL)");
    }
    this.urls = urls.map(resolveUrl);
    this._endpoint = 0;
    this._firstTries = 0;
    this.options = {
      hello: {},
      reconnect: true,
      initialDelayMs: 250,
      maxDelayMs: 10000,
      offlineBufferEvents: 1000,
      maxFrameLength: 1 << 20,
      resumable: false,
      WebSocket: globalThis.WebSocket,
      ...options,
    };
    this.state = "new"; // new, connecting, connected, reconnecting, ended
    this.closeReason = null; // {reason, message} once a connection has ended
    this._ws = null;
    this._offline = [];
    this._pending = new Map();
    this._nextId = 1;
    this._eventListeners = new Set();
    this._changeListeners = new Set();
    this._queue = [];
    this._waiters = [];
    this._attempt = 0;
    this._timer = null;
    this._idleTimer = null;
    this._idleTimeoutMs = 0;
    this._ackTimer = null;
    this._session = this.options.resumable && this.options.reconnect ? new Session() : null;
  }

  /** The endpoint this client is connected to, or will try next. */
  get url() {
    return this.urls[this._endpoint];
  }

  /** True while connected (welcomed) and not closing. */
  get connected() {
    return this.state === "connected";
  }

  /**
   * Connects; resolves once the server's welcome is in (it then knows this client), rejects
   * with the reason if the connection ends before. Call once.
   */
  connect() {
    if (this.state !== "new") {
      return Promise.reject(new Error("connect() once per client (state: " + this.state + ")"));
    }
    this.state = "connecting";
    return new Promise((resolve, reject) => this._open(resolve, reject));
  }

  /** Calls fn(event) for every event received; returns a function that stops it. */
  onEvent(fn) {
    this._eventListeners.add(fn);
    return () => this._eventListeners.delete(fn);
  }

  /**
   * Calls fn(change) on every connection change: {kind: "disconnected", reason, message},
   * {kind: "reconnected", attempts} or {kind: "ended", reason, message}; a resumable client's
   * reconnects are {kind: "resumed", attempts} (nothing lost, nothing repeated), or
   * {kind: "session_expired" | "session_unknown", attempts, unacknowledged}: a new session, the
   * server's events meanwhile may be lost, and unacknowledged holds the events this client sent
   * that the server may never have received ({type, data} each; not sent again).
   */
  onConnectionChange(fn) {
    this._changeListeners.add(fn);
    return () => this._changeListeners.delete(fn);
  }

  /** The events received, one by one, until the client has ended: for await (const e of client). */
  [Symbol.asyncIterator]() {
    return {
      next: () => {
        if (this._queue.length > 0) {
          return Promise.resolve({ value: this._queue.shift(), done: false });
        }
        if (this.state === "ended") {
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((resolve) => this._waiters.push(resolve));
      },
      return: () => Promise.resolve({ value: undefined, done: true }),
    };
  }

  /**
   * Sends an event. Returns true if sent (or held while reconnecting), false if the offline
   * buffer is full. Throws if the client has ended or never connected, or the data is not an
   * object, or the type is empty or starts with "ebsockets.".
   */
  sendEvent(type, data = {}) {
    return this._send(checkEvent(type, data));
  }

  /**
   * Sends a request; resolves with the reply {type, data}, rejects with a RequestError after
   * timeoutMs or when the connection ends first.
   */
  request(type, data = {}, timeoutMs = 10000) {
    const payload = checkEvent(type, data);
    if (!(timeoutMs > 0)) {
      throw new RangeError("timeoutMs: " + timeoutMs + " (expected: greater than 0)");
    }
    const id = this._nextId;
    this._nextId = this._nextId >= MAX_REQUEST_ID ? 1 : this._nextId + 1;
    payload["ebsockets.request"] = id;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this._pending.delete(id);
        reject(new RequestError("no reply to " + type + " within " + timeoutMs + " ms", "timeout"));
      }, timeoutMs);
      this._pending.set(id, { resolve, reject, timer, type });
      if (!this._send(payload)) {
        clearTimeout(timer);
        this._pending.delete(id);
        reject(new RequestError("offline buffer full: " + type + " not sent", "offline_buffer_full"));
      }
    });
  }

  /** Answers a request the server sent (an event whose requestId is set). */
  reply(request, type, data = {}) {
    if (!request || !(request.requestId > 0)) {
      throw new TypeError("reply: the first argument is not a received request");
    }
    const payload = checkEvent(type, data);
    payload["ebsockets.reply"] = request.requestId;
    return this._send(payload);
  }

  /** Closes for good: tells the server (client_closed), and does not reconnect. */
  close() {
    if (this.state === "ended") {
      return;
    }
    clearTimeout(this._timer);
    const ws = this._ws;
    this._end("client_closed", "");
    if (ws && ws.readyState === 1) {
      ws.send(JSON.stringify({ type: "ebsockets.close", data: { reason: "client_closed", message: "" } }));
      ws.close(4008, "client_closed");
    } else if (ws) {
      ws.close();
    }
  }

  // ------------------------------------------------------------------------------ internals

  _send(payload) {
    if (this.state === "ended") {
      throw new Error("client has ended (" + describe(this.closeReason) + ")");
    }
    if (this.state === "new") {
      throw new Error("not connected (expected: connect() first)");
    }
    const text = JSON.stringify(payload);
    const session = this._session;
    if (session && session.resumes()) {
      // Kept until the server acknowledges it, sent again after a resume: also while offline.
      if (session.unacked.length >= this.options.offlineBufferEvents) {
        return false;
      }
      session.record(text);
      if (this.state === "connected") {
        this._ws.send(text);
      }
      return true;
    }
    if (this.state === "connected") {
      this._ws.send(text);
      return true;
    }
    if (this._offline.length >= this.options.offlineBufferEvents) {
      return false;
    }
    this._offline.push(text);
    return true;
  }

  _open(resolve, reject) {
    let welcomed = false;
    let reason = null;
    const ws = new this.options.WebSocket(this.url);
    const firstConnect = this.state === "connecting";
    this._ws = ws;
    ws.onopen = () => {
      const hello = { ...this.options.hello, version: 1, maxFrameLength: this.options.maxFrameLength };
      if (this._session) {
        hello.resume = this._session.helloMember();
      }
      ws.send(JSON.stringify({ type: "ebsockets.hello", data: hello }));
    };
    ws.onmessage = (message) => {
      this._touch();
      if (typeof message.data !== "string") {
        return; // the server sends text only
      }
      let payload;
      try {
        payload = JSON.parse(message.data);
      } catch (e) {
        return;
      }
      const type = payload.type;
      const data = payload.data || {};
      if (typeof type === "string" && type.startsWith("ebsockets.")) {
        if (type === "ebsockets.welcome") {
          welcomed = true;
          this._idleTimeoutMs = data.idleTimeout || 0;
          this._touch();
          const reconnected = this._attempt > 0;
          const attempts = this._attempt;
          this._attempt = 0;
          this.state = "connected";
          const change = this._session ? this._welcomed(ws, data.session, attempts) : null;
          for (const text of this._offline.splice(0)) {
            if (this._session && this._session.resumes()) {
              this._session.record(text); // sent before the first welcome: the session's first
            }
            ws.send(text);
          }
          if (change) {
            this._change(change);
          } else if (reconnected) {
            this._change({ kind: "reconnected", attempts });
          }
          if (resolve) {
            resolve();
            resolve = null;
          }
        } else if (type === "ebsockets.ack") {
          if (this._session) {
            this._session.acked(data.received);
          }
        } else if (type === "ebsockets.ping") {
          ws.send(JSON.stringify({ type: "ebsockets.pong", data }));
        } else if (type === "ebsockets.close") {
          reason = { reason: data.reason || "peer_closed", message: data.message || "" };
          if (Number.isInteger(data.retryAfter) && data.retryAfter > 0) {
            reason.retryAfterMs = Math.min(data.retryAfter, MAX_RETRY_AFTER_MS);
          }
        } else if (type === "ebsockets.error") {
          reason = { reason: "protocol_error", message: (data.code || "error") + ": " + (data.message || "") };
        }
        return;
      }
      if (this._session && this._session.resumes()) {
        this._countReceived(ws);
      }
      const replyTo = payload["ebsockets.reply"];
      if (replyTo !== undefined) {
        const pending = this._pending.get(replyTo);
        if (pending) {
          this._pending.delete(replyTo);
          clearTimeout(pending.timer);
          pending.resolve({ type, data });
        }
        return;
      }
      const event = { type, data };
      if (payload["ebsockets.request"] !== undefined) {
        event.requestId = payload["ebsockets.request"];
      }
      this._deliver(event);
    };
    ws.onclose = (close) => {
      clearTimeout(this._idleTimer);
      if (this._ws !== ws) {
        return;
      }
      const why = reason || closeFrameReason(close);
      if (!welcomed && firstConnect && this._firstTries + 1 < this.urls.length) {
        this._firstTries += 1; // the first connect tries every endpoint once
        this._endpoint = (this._endpoint + 1) % this.urls.length;
        this._open(resolve, reject);
        return;
      }
      if (!welcomed || !NETWORK_REASONS.has(why.reason)) {
        this._endpoint = (this._endpoint + 1) % this.urls.length; // elsewhere next time
      }
      this._lost(why, welcomed, reject);
      reject = null;
    };
    ws.onerror = () => {}; // onclose follows, with what is known
  }

  _lost(why, welcomed, reject) {
    if (this.state === "ended") {
      return;
    }
    this.closeReason = why;
    const reconnect = this.options.reconnect && (welcomed || this.state === "reconnecting")
      && !FINAL_REASONS.has(why.reason);
    if (!reconnect || !this._session || !this._session.resumes()) {
      // A resumable session keeps its requests: the replies come after the resume.
      this._failPending("connection ended before the reply (" + describe(why) + ")", why.reason);
    }
    if (!reconnect) {
      this._end(why.reason, why.message);
      if (reject) {
        const where = this.urls.length === 1 ? this.url : "any of " + this.urls.join(", ");
        reject(new Error("cannot connect to " + where + ": " + describe(why)));
      }
      return;
    }
    if (this.state === "connected") {
      const change = { kind: "disconnected", reason: why.reason, message: why.message };
      if (why.retryAfterMs) {
        change.retryAfterMs = why.retryAfterMs;
      }
      this._change(change);
    }
    this.state = "reconnecting";
    const ceiling = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** this._attempt);
    this._attempt += 1;
    // At least the server's hint, plus full jitter.
    const delay = (why.retryAfterMs || 0) + Math.random() * ceiling;
    this._timer = setTimeout(() => this._open(null, null), delay);
  }

  _failPending(message, reason) {
    for (const [, pending] of this._pending) {
      clearTimeout(pending.timer);
      pending.reject(new RequestError(message, reason));
    }
    this._pending.clear();
  }

  /**
   * A resumable client's welcome: resumes the session (what the server did not receive is sent
   * again, in order) or starts a new one (what the old one never acknowledged is handed back).
   * Returns the change to report, or null for the first session.
   */
  _welcomed(ws, offered, attempts) {
    const session = this._session;
    const had = session.resumes();
    const outcome = session.welcomed(offered);
    if (outcome === "resumed") {
      for (const text of session.unackedTexts()) {
        ws.send(text);
      }
      return { kind: "resumed", attempts };
    }
    if (!had) {
      return null; // the first session, or a server that keeps none
    }
    const unacknowledged = session.startOver().map((text) => {
      const { type, data } = JSON.parse(text);
      return { type, data };
    });
    const kind = outcome === "expired" ? "session_expired" : "session_unknown";
    this._failPending("the session was lost (" + kind + "): the reply may never come", kind);
    return { kind, attempts, unacknowledged };
  }

  _countReceived(ws) {
    const session = this._session;
    session.received += 1;
    if (session.received - session.acknowledged >= session.ackEvery) {
      this._ack(ws);
    } else if (!this._ackTimer) {
      this._ackTimer = setTimeout(() => {
        this._ackTimer = null;
        if (this._ws === ws && ws.readyState === 1) {
          this._ack(ws);
        }
      }, ACK_DELAY_MS);
    }
  }

  _ack(ws) {
    const session = this._session;
    if (session.received !== session.acknowledged) {
      session.acknowledged = session.received;
      ws.send(JSON.stringify({ type: "ebsockets.ack", data: { received: session.received } }));
    }
  }

  _end(reason, message) {
    this.state = "ended";
    this.closeReason = { reason, message };
    this._offline = [];
    clearTimeout(this._idleTimer);
    this._failPending("connection ended before the reply (" + reason + (message ? ": " + message : "") + ")", reason);
    this._change({ kind: "ended", reason, message });
    for (const waiter of this._waiters.splice(0)) {
      waiter({ value: undefined, done: true });
    }
  }

  _touch() {
    if (this._idleTimeoutMs > 0) {
      clearTimeout(this._idleTimer);
      const ws = this._ws;
      this._idleTimer = setTimeout(() => {
        if (this._ws === ws && ws.readyState === 1) {
          ws.send(JSON.stringify({ type: "ebsockets.close", data: { reason: "idle_timeout", message: "nothing received" } }));
          ws.close(4003, "idle_timeout");
        }
      }, this._idleTimeoutMs);
    }
  }

  _deliver(event) {
    const waiter = this._waiters.shift();
    if (waiter) {
      waiter({ value: event, done: false });
    } else if (this._eventListeners.size === 0) {
      this._queue.push(event);
    }
    for (const fn of this._eventListeners) {
      fn(event);
    }
  }

  _change(change) {
    for (const fn of this._changeListeners) {
      fn(change);
    }
  }
}

/**
 * A resumable client's side of its session (docs/PROTOCOL.md, "Resumable sessions"): the id and
 * token the welcome gave, how many events arrived from the server (counted, never numbered on
 * the wire), and what this client sent that the server has not acknowledged.
 */
class Session {
  constructor() {
    this.id = null;
    this.token = null;
    this.received = 0;
    this.acknowledged = 0;
    this.unacked = []; // JSON texts, oldest first; the first is number firstKept
    this.firstKept = 1;
    this.sent = 0;
    this.ackEvery = ACK_EVERY;
  }

  /** True while the server keeps a session for this client. */
  resumes() {
    return this.id !== null;
  }

  record(text) {
    this.unacked.push(text);
    this.sent += 1;
  }

  /** The hello's resume member: asks for a session, or names the one to resume. */
  helloMember() {
    if (this.id === null) {
      return {};
    }
    this.acknowledged = this.received; // the hello tells the server what arrived
    return { session: this.id, token: this.token, received: this.received };
  }

  /** Takes the welcome's session member; returns "resumed", "new", "expired" or "unknown". */
  welcomed(offered) {
    const valid = offered && typeof offered.id === "string" && typeof offered.token === "string";
    let outcome = valid ? offered.outcome : "unknown";
    if (outcome === "resumed" && !(this.id !== null && offered.received >= this.firstKept - 1
        && offered.received <= this.sent)) {
      outcome = "expired"; // a count this client cannot believe: the session is treated as lost
    }
    if (outcome === "resumed") {
      this.acked(offered.received);
    } else {
      this.received = 0;
      this.acknowledged = 0;
    }
    this.id = valid ? offered.id : null;
    this.token = valid ? offered.token : null;
    this.ackEvery = valid && Number.isInteger(offered.ackEvery) && offered.ackEvery > 0
      ? offered.ackEvery : ACK_EVERY;
    return outcome;
  }

  /** The server acknowledged the first upTo events of the session. */
  acked(upTo) {
    if (typeof upTo !== "number") {
      return;
    }
    const last = Math.min(upTo, this.sent);
    while (this.firstKept <= last && this.unacked.length > 0) {
      this.unacked.shift();
      this.firstKept += 1;
    }
  }

  unackedTexts() {
    return this.unacked.slice();
  }

  /** A new session: returns what the old one never acknowledged, and numbers from 1 again. */
  startOver() {
    const texts = this.unacked;
    this.unacked = [];
    this.firstKept = 1;
    this.sent = 0;
    return texts;
  }
}

function checkEvent(type, data) {
  if (typeof type !== "string" || type.length === 0) {
    throw new TypeError("type: " + JSON.stringify(type) + " (expected: a non-empty string)");
  }
  if (type.startsWith("ebsockets.")) {
    throw new TypeError("type: " + type + " (expected: not ebsockets.*, which is the library's)");
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new TypeError("data: " + JSON.stringify(data) + " (expected: an object)");
  }
  return { type, data };
}

function resolveUrl(url) {
  if (/^wss?:\/\//i.test(url)) {
    return url;
  }
  if (typeof location !== "undefined" && url.startsWith("/")) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + url;
  }
  throw new TypeError("url: " + url + " (expected: ws://host:port/path, wss://..., or /path on the page's host)");
}

/** What a close frame alone says: its code's reason, and a retry hint its text may carry. */
function closeFrameReason(close) {
  const reason = CLOSE_CODES[close.code];
  if (!reason) {
    return { reason: "peer_closed", message: "close code " + close.code + (close.reason ? ": " + close.reason : "") };
  }
  const hinted = RETRY_TEXT.exec(close.reason || "");
  if (hinted) {
    return { reason, message: hinted[2], retryAfterMs: Math.min(Number(hinted[1]), MAX_RETRY_AFTER_MS) };
  }
  return { reason, message: close.reason || "" };
}

function describe(why) {
  return why ? why.reason + (why.message ? ": " + why.message : "") : "no reason";
}
