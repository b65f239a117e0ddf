// What the fake Discord knows and has seen: the world, recorded requests, interactions in flight.
import { FakeCdn } from "./cdn.js";
import type { APIApplicationCommand, APIInteraction, APIMessage } from "discord.js";
import { MessageFlags } from "discord.js";
import { ChannelFaults, RestFaults } from "./faults.js";
import { applyEdit } from "./payloads.js";
import type { FakeCallback, FakeGuild, FakeReply, FakeUser, MessageBody, MessageListener, RecordedFile, RecordedRequest } from "./types.js";

/** Items that arrive over time, read in order: next() returns a past item not yet read, or waits for one. */
export class AsyncQueue<T> {
  readonly items: T[] = [];
  private cursor = 0;
  private waiters: ((item: T) => void)[] = [];

  push(item: T): void {
    this.items.push(item);
    const waiter = this.waiters.shift();
    if (waiter) {
      this.cursor += 1;
      waiter(item);
    }
  }

  next(timeoutMs: number, what: string): Promise<T> {
    const ready = this.items[this.cursor];
    if (ready !== undefined) {
      this.cursor += 1;
      return Promise.resolve(ready);
    }
    return new Promise<T>((resolve, reject) => {
      const waiter = (item: T): void => {
        clearTimeout(timer);
        resolve(item);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-discord: no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/** One interaction sent to the bot, and everything the bot did with it. */
export class InteractionRecord {
  callback: FakeCallback | null = null;
  callbackAt = 0;
  /** The message @original refers to: the reply, or for component interactions the message clicked on. */
  original: APIMessage | null;
  /** Whether `original` is the component's message (until a reply replaces it). */
  originalIsSource: boolean;
  readonly edits = new AsyncQueue<MessageBody>();
  readonly followUps = new AsyncQueue<MessageBody>();
  readonly followUpMessages = new Map<string, APIMessage>();
  private settle: { resolve: (r: FakeReply) => void; reject: (e: Error) => void } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly payload: APIInteraction,
    readonly sentAt: number,
  ) {
    this.original = payload.message ?? null;
    this.originalIsSource = payload.message !== undefined;
  }

  get name(): string {
    const data = this.payload.data as { name?: string; custom_id?: string } | undefined;
    return data?.name ?? data?.custom_id ?? `type ${this.payload.type}`;
  }

  wait(timeoutMs: number): Promise<FakeReply> {
    return new Promise<FakeReply>((resolve, reject) => {
      this.settle = { resolve, reject };
      this.timer = setTimeout(() => {
        this.settle = null;
        reject(new Error(`fake-discord: interaction "${this.name}" got no callback within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  /** Called by the REST side once the callback request has been answered. */
  acknowledged(callback: FakeCallback, at: number): void {
    this.callback = callback;
    this.callbackAt = at;
    if (this.timer) clearTimeout(this.timer);
    this.settle?.resolve(this.view(callback));
    this.settle = null;
  }

  cancel(reason: string): void {
    if (this.timer) clearTimeout(this.timer);
    this.settle?.reject(new Error(reason));
    this.settle = null;
  }

  get ephemeral(): boolean {
    return ((this.callback?.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
  }

  private view(callback: FakeCallback): FakeReply {
    const { edits, followUps } = this;
    return {
      interactionId: this.payload.id,
      token: this.payload.token,
      callback,
      latencyMs: this.callbackAt - this.sentAt,
      edits: edits.items,
      followUps: followUps.items,
      waitForEdit: (timeoutMs = 2000) => this.edits.next(timeoutMs, `edit of @original for "${this.name}"`),
      waitForFollowUp: (timeoutMs = 2000) => this.followUps.next(timeoutMs, `follow-up for "${this.name}"`),
      original: () => (this.original ? structuredClone(this.original) : null),
      followUpMessages: () => [...this.followUpMessages.values()].map((m) => structuredClone(m)),
    };
  }
}

type RequestWaiter = { match: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void };

export class FakeState {
  readonly requests: RecordedRequest[] = [];
  readonly unknownRoutes: RecordedRequest[] = [];
  /** key: "global" or a guild id */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  readonly messages = new Map<string, APIMessage[]>();
  readonly interactionsByToken = new Map<string, InteractionRecord>();
  readonly interactionsById = new Map<string, InteractionRecord>();
  /** Message nonces seen and failures injected for channel posts. */
  readonly faults: ChannelFaults;
  /** 5xx bursts injected on any REST route. */
  readonly restFaults = new RestFaults();
  /** Files members attached to commands, served at their URLs. */
  readonly cdn = new FakeCdn();
  private requestWaiters: RequestWaiter[] = [];
  /** Told of every message created, edited or deleted, ephemeral ones included (the playground draws its page from them). */
  readonly messageListeners = new Set<MessageListener>();

  constructor(
    readonly applicationId: string,
    readonly botUser: FakeUser,
    readonly botToken: string,
    readonly guilds: FakeGuild[],
    nonceWindowMs = 5 * 60_000,
  ) {
    this.faults = new ChannelFaults(nonceWindowMs);
    for (const guild of guilds) for (const c of guild.channels) this.messages.set(c.id, []);
  }

  record(request: RecordedRequest, unknown: boolean): void {
    this.requests.push(request);
    if (unknown) this.unknownRoutes.push(request);
    for (const waiter of [...this.requestWaiters]) {
      if (waiter.match(request)) {
        this.requestWaiters = this.requestWaiters.filter((w) => w !== waiter);
        waiter.resolve(request);
      }
    }
  }

  /** The first recorded request (past or future) matching `match`; requests are recorded once answered. */
  waitForRequest(match: (r: RecordedRequest) => boolean, timeoutMs = 2000): Promise<RecordedRequest> {
    const past = this.requests.find(match);
    if (past) return Promise.resolve(past);
    return new Promise<RecordedRequest>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.requestWaiters = this.requestWaiters.filter((w) => w !== waiter);
        reject(new Error(`fake-discord: no matching request within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: RequestWaiter = {
        match,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      this.requestWaiters.push(waiter);
    });
  }

  findChannel(channelId: string) {
    for (const guild of this.guilds) {
      const index = guild.channels.findIndex((c) => c.id === channelId);
      const channel = guild.channels[index];
      if (channel) return { guild, channel, index };
    }
    return null;
  }

  findMessage(channelId: string, messageId: string): APIMessage | null {
    return this.messages.get(channelId)?.find((m) => m.id === messageId) ?? null;
  }

  /** Put a message in its channel's history; an ephemeral one is only announced, since no channel's history shows it. */
  store(message: APIMessage): void {
    if (((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
      this.announce("create", message);
      return;
    }
    const list = this.messages.get(message.channel_id) ?? [];
    if (list.includes(message)) return;
    list.push(message);
    this.messages.set(message.channel_id, list);
    this.announce("create", message);
  }

  /** Apply an edit body to a message in place, and announce it. */
  edit(message: APIMessage, body: MessageBody, files: readonly RecordedFile[] = []): APIMessage {
    applyEdit(message, body, files);
    this.announce("update", message);
    return message;
  }

  unstore(message: APIMessage): void {
    const list = this.messages.get(message.channel_id);
    if (list) this.messages.set(message.channel_id, list.filter((m) => m.id !== message.id));
    this.announce("delete", message);
  }

  private announce(change: "create" | "update" | "delete", message: APIMessage): void {
    for (const listener of this.messageListeners) listener(change, message);
  }
}
