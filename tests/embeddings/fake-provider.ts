import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A stand-in for an OpenAI-compatible embeddings server on 127.0.0.1: the one thing the
 * embeddings tests mock, since no model can run here. Vectors are a tiny bag of concepts: each
 * axis is a group of words that mean one thing, so chosen paraphrases ("buying" / "buyers",
 * "not under occupation" / "unoccupied") land close while sharing no index term.
 */
export const CONCEPTS: Record<string, readonly string[]> = {
  occupation: ["occupation", "occupied", "unoccupied", "non-occupied", "occupy"],
  protect: ["protecting", "protect", "protection", "security", "secure", "safe"],
  part: ["parts", "part", "portions", "portion"],
  buy: ["buying", "buy", "buyers", "buyer", "purchasers", "customers"],
  punish: ["punish", "punishing", "penalize", "sanctions", "measures", "secondary"],
  oil: ["oil", "crude", "petroleum"],
};
const AXES = Object.keys(CONCEPTS);
const AXIS_OF = new Map(Object.entries(CONCEPTS).flatMap(([axis, words]) => words.map((word) => [word, AXES.indexOf(axis)] as const)));

/** The fake's vector of a text: a count per concept axis, plus a small constant axis so no vector is zero. */
export function conceptVector(text: string): number[] {
  const vector = new Array<number>(AXES.length + 1).fill(0);
  vector[AXES.length] = 0.3;
  for (const word of text.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? []) {
    const axis = AXIS_OF.get(word);
    if (axis !== undefined) vector[axis] = (vector[axis] ?? 0) + 1;
  }
  return vector;
}

export interface FakeRequest {
  input: string[];
  model: string;
  authorization: string | undefined;
  at: number;
}

export interface FakeProvider {
  url: string;
  /** Every request received, answered or not. */
  requests: FakeRequest[];
  /** Statuses to answer the next requests with, first first (e.g. [429, 503]); then normal answers. */
  failNext(...statuses: number[]): void;
  /** While true, requests are held open and never answered (a hung provider). */
  hang: boolean;
  /** A Retry-After (seconds) sent with failures, when set. */
  retryAfter: number | undefined;
  close(): Promise<void>;
}

export async function startFakeProvider(): Promise<FakeProvider> {
  const requests: FakeRequest[] = [];
  const failures: number[] = [];
  const held = new Set<ServerResponse>();
  const state = { hang: false, retryAfter: undefined as number | undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { input: string[] | string; model: string };
      const input = Array.isArray(body.input) ? body.input : [body.input];
      requests.push({ input, model: body.model, authorization: req.headers.authorization, at: performance.now() });
      if (req.method !== "POST" || req.url !== "/v1/embeddings") return send(res, 404, { error: { message: `no route ${req.method} ${req.url}` } });
      if (state.hang) return void held.add(res);
      const failure = failures.shift();
      if (failure !== undefined) {
        if (state.retryAfter !== undefined) res.setHeader("retry-after", String(state.retryAfter));
        return send(res, failure, { error: { message: `fake failure ${failure}` } });
      }
      send(res, 200, { object: "list", model: body.model, data: input.map((text, index) => ({ object: "embedding", index, embedding: conceptVector(text) })) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/embeddings`,
    requests,
    failNext: (...statuses) => failures.push(...statuses),
    get hang() {
      return state.hang;
    },
    set hang(value: boolean) {
      state.hang = value;
    },
    get retryAfter() {
      return state.retryAfter;
    },
    set retryAfter(value: number | undefined) {
      state.retryAfter = value;
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
