// Compiled with tsc --noEmit against ebsockets.d.ts: the declarations cover what a page uses.
import { EbsocketClient, EbsocketEvent, ConnectionChange, RequestError, CLOSE_CODES, VERSION } from "../ebsockets.js";

async function chat(): Promise<void> {
  const client = new EbsocketClient("/ebs", { hello: { token: "secret" }, offlineBufferEvents: 100, resumable: true });
  client.onConnectionChange((change: ConnectionChange) => {
    if (change.kind === "disconnected") {
      console.log(change.reason, change.message, change.retryAfterMs ?? 0, CLOSE_CODES[1013]);
    } else if (change.kind === "ended") {
      console.log(change.reason, change.message, CLOSE_CODES[4005]);
    } else if (change.kind === "session_expired" || change.kind === "session_unknown") {
      for (const lost of change.unacknowledged) {
        console.log("not delivered:", lost.type, lost.data);
      }
    } else {
      console.log("back after", change.attempts);
    }
  });
  await client.connect();
  const sent: boolean = client.sendEvent("message", { content: "hi", n: 1, tags: ["a"], nested: { ok: true } });
  try {
    const reply: EbsocketEvent = await client.request("time", {}, 2000);
    console.log(reply.type, reply.data["millis"], sent, VERSION);
  } catch (e) {
    if (e instanceof RequestError) {
      console.log(e.reason);
    }
  }
  const stop = client.onEvent((event) => {
    if (event.requestId !== undefined) {
      client.reply(event, "pong", {});
    }
  });
  stop();
  for await (const event of client) {
    console.log(event.type);
    break;
  }
  client.close();
}

async function failover(): Promise<void> {
  const client = new EbsocketClient(["wss://a.example/ebs", "wss://b.example/ebs"]);
  await client.connect();
  const where: string = client.url;
  const all: readonly string[] = client.urls;
  console.log(where, all.length, client.closeReason?.retryAfterMs);
}

void chat;
void failover;
