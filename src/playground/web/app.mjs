/* global document, window, fetch, EventSource, setTimeout, clearTimeout */
// The playground page: draws what the bot's messages are (the server sends each text already
// rendered to escaped HTML; nothing else is ever put in as HTML) and turns clicks and keys into
// actions the server sends to the bot as Discord interactions.

import { $, el, formatTimestamps, html, post } from "./dom.mjs";

const state = { world: null, messages: new Map(), userId: null, channelId: null, suggestions: null, active: -1 };

// ---- messages ----
function initial(nameHtml) {
  const probe = el("span");
  probe.innerHTML = nameHtml;
  return (probe.textContent ?? "?").slice(0, 1).toUpperCase();
}

function embedNode(embed) {
  const node = el("div", "embed");
  if (embed.colour) node.style.borderLeftColor = embed.colour;
  if (embed.authorHtml) node.append(html("div", "embed-author", embed.authorHtml));
  if (embed.titleHtml) {
    const title = html(embed.url ? "a" : "div", "embed-title", embed.titleHtml);
    if (embed.url) Object.assign(title, { href: embed.url, target: "_blank", rel: "noopener noreferrer nofollow" });
    node.append(title);
  }
  if (embed.descriptionHtml) node.append(html("div", "embed-description", embed.descriptionHtml));
  if (embed.fields.length) {
    const fields = el("div", "embed-fields");
    for (const field of embed.fields) {
      const f = el("div", `embed-field${field.inline ? " inline" : ""}`);
      f.append(html("div", "embed-field-name", field.nameHtml), html("div", "embed-field-value", field.valueHtml));
      fields.append(f);
    }
    node.append(fields);
  }
  if (embed.footerHtml) node.append(html("div", "embed-footer", embed.footerHtml));
  return node;
}

function buttonNode(message, button) {
  if (button.url) {
    const link = html("a", "button link", button.labelHtml);
    Object.assign(link, { href: button.url, target: "_blank", rel: "noopener noreferrer nofollow" });
    return link;
  }
  const node = html("button", `button ${button.style}`, button.labelHtml);
  node.type = "button";
  node.disabled = button.disabled;
  node.addEventListener("click", () => act(post("/api/click", { userId: state.userId, messageId: message.id, customId: button.customId })));
  return node;
}

function messageNode(message) {
  const node = el("li", `message${message.ephemeral ? " ephemeral" : ""}`);
  node.dataset.id = message.id;
  if (message.usedHtml) node.append(html("div", "used", `↱ ${message.usedHtml}`));
  if (message.replyToHtml) node.append(html("div", "reply-to", `↱ ${message.replyToHtml}`));
  node.append(el("div", "avatar", initial(message.author.nameHtml)));
  const header = el("div", "message-header");
  header.append(html("span", "author", message.author.nameHtml));
  if (message.author.bot) header.append(el("span", "bot-tag", "APP"));
  header.append(el("span", "time", new Date(message.timestamp).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" }) + (message.edited ? " (edited)" : "")));
  node.append(header);
  if (message.loading) node.append(el("div", "thinking", `${message.author.bot ? "Agora" : "It"} is thinking`));
  else node.append(html("div", "content", message.contentHtml));
  for (const embed of message.embeds) node.append(embedNode(embed));
  if (message.rows.length) {
    const rows = el("div", "rows");
    for (const row of message.rows) {
      const r = el("div", "row");
      for (const button of row) r.append(buttonNode(message, button));
      rows.append(r);
    }
    node.append(rows);
  }
  if (message.ephemeral) {
    // As in Discord, dismissing only hides the message from this view; the bot is not told.
    const note = el("div", "ephemeral-note", "Only you can see this · ");
    const dismiss = el("button", "dismiss", "Dismiss message");
    dismiss.type = "button";
    dismiss.addEventListener("click", () => {
      state.messages.delete(message.id);
      renderMessages();
    });
    note.append(dismiss);
    node.append(note);
  }
  const actions = el("div", "message-actions");
  const apps = el("button", "apps-button", "Apps");
  apps.type = "button";
  apps.addEventListener("click", (event) => openMenu(message, event.clientX, event.clientY));
  actions.append(apps);
  node.append(actions);
  node.addEventListener("contextmenu", (event) => {
    event.preventDefault();
    openMenu(message, event.clientX, event.clientY);
  });
  formatTimestamps(node);
  return node;
}

function renderMessages() {
  const list = $("messages");
  const nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const shown = [...state.messages.values()]
    .filter((m) => m.channelId === state.channelId && (!m.ephemeral || m.visibleTo === state.userId))
    .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
  list.replaceChildren(...shown.map(messageNode));
  if (nearBottom) list.scrollTop = list.scrollHeight;
}

// ---- the message menu (right-click or Apps → Find passages) ----
function openMenu(message, x, y) {
  const menu = $("context-menu");
  menu.replaceChildren(el("div", "menu-title", "Apps"));
  for (const command of state.world.commands.filter((c) => c.type === 3)) {
    const item = el("button", "menu-item", command.name);
    item.type = "button";
    item.addEventListener("click", () => {
      menu.hidden = true;
      act(post("/api/menu", { userId: state.userId, messageId: message.id, name: command.name }));
    });
    menu.append(item);
  }
  Object.assign(menu.style, { left: `${Math.min(x, window.innerWidth - 200)}px`, top: `${Math.min(y, window.innerHeight - 100)}px` });
  menu.hidden = false;
}
document.addEventListener("click", (event) => {
  if (!event.target.closest?.(".context-menu, .apps-button")) $("context-menu").hidden = true;
});

// ---- members, channels, clock ----
function renderWorld() {
  const { world } = state;
  $("guild-name").textContent = world.guild.name;
  const channel = world.channels.find((c) => c.id === state.channelId);
  $("channel-name").textContent = channel?.name ?? "";
  $("channel-topic").textContent = channel?.topic ?? "";
  $("composer-input").placeholder = `Message #${channel?.name ?? ""}, or type / for commands`;
  $("channels").replaceChildren(
    ...world.channels.map((c) => {
      const item = el("li", c.id === state.channelId ? "active" : "", `# ${c.name}`);
      item.addEventListener("click", () => {
        state.channelId = c.id;
        renderWorld();
        renderMessages();
      });
      return item;
    }),
  );
  $("members").replaceChildren(
    ...world.members.map((m) => {
      const item = el("li", `member${m.id === state.userId ? " acting" : ""}`);
      item.dataset.id = m.id;
      item.append(el("div", "avatar", m.name.slice(0, 1).toUpperCase()));
      const text = el("div");
      text.append(el("div", "name", m.name + (m.bot ? " (app)" : "")));
      text.append(el("div", "tags", [...m.roles, m.manageServer ? "Manage Server" : "member"].join(" · ")));
      if (m.id === state.userId) text.append(el("div", "acting-badge", "you are acting as this member"));
      item.append(text);
      if (!m.bot) item.addEventListener("click", () => {
        state.userId = m.id;
        renderWorld();
        renderMessages();
      });
      return item;
    }),
  );
  const me = world.members.find((m) => m.id === state.userId);
  $("acting-as").textContent = `You are ${me?.name ?? "?"}${me?.manageServer ? " (Manage Server)" : ""}. Click a member on the right to act as them.`;
  const runDay = $("run-day");
  runDay.disabled = !world.digest;
  runDay.textContent = world.digest ? `Run the day at ${world.digest.time} ${world.digest.timezone}` : "Run the digest day";
  // The digest's clock, in the digest's own time zone once there is one.
  const zone = world.digest?.timezone;
  const clock = new Date(world.clock).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", ...(zone ? { timeZone: zone } : {}) });
  $("clock-now").textContent = `Digest clock: ${clock}${zone ? ` ${zone}` : ""}`;
}

async function refreshWorld() {
  state.world = await (await fetch("/api/world")).json();
  renderWorld();
}

/** Runs an action; a refusal shows where Discord's client shows it, under the composer. */
async function act(promise) {
  const result = await promise;
  showError(result.ok === false ? result.error : null);
  await refreshWorld();
  return result;
}
function showError(text) {
  const box = $("composer-error");
  box.hidden = !text;
  box.textContent = text ?? "";
}

// ---- the composer: suggestions as you type, Enter to send ----
let suggestTimer = null;
let suggestSeq = 0;
async function updateSuggestions() {
  const line = $("composer-input").value;
  const seq = ++suggestSeq;
  if (!line.startsWith("/")) return renderSuggestions(null);
  const result = await post("/api/suggest", { userId: state.userId, channelId: state.channelId, line });
  if (seq === suggestSeq) renderSuggestions(result);
}
function renderSuggestions(result) {
  const box = $("suggestions");
  state.suggestions = result && (result.items.length || result.option) ? result : null;
  state.active = -1;
  if (!state.suggestions) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const titles = { commands: "Commands", subcommands: "Subcommands", options: "Options", choices: result.option?.name ?? "" };
  box.replaceChildren(el("div", "suggest-title", titles[result.kind] ?? ""));
  if (result.option) box.append(el("div", "suggest-hint", `${result.option.name}${result.option.required ? "" : " (optional)"}: ${result.option.description}`));
  result.items.forEach((item, index) => {
    const row = el("div", "suggestion");
    row.dataset.index = String(index);
    row.append(el("span", "label", item.label), el("span", "description", item.description));
    row.addEventListener("mousedown", (event) => {
      event.preventDefault();
      pick(index);
    });
    box.append(row);
  });
  box.hidden = false;
}
function highlight(index) {
  const items = state.suggestions?.items ?? [];
  if (!items.length) return;
  state.active = (index + items.length) % items.length;
  for (const row of $("suggestions").querySelectorAll(".suggestion")) row.classList.toggle("active", Number(row.dataset.index) === state.active);
}
function pick(index) {
  const item = state.suggestions?.items[index];
  if (!item) return;
  const input = $("composer-input");
  input.value = item.insert;
  input.focus();
  void updateSuggestions();
}

$("composer-input").addEventListener("input", () => {
  showError(null);
  clearTimeout(suggestTimer);
  suggestTimer = setTimeout(() => void updateSuggestions(), 120);
});
$("composer-input").addEventListener("keydown", (event) => {
  const open = state.suggestions && state.suggestions.items.length > 0;
  if (open && event.key === "ArrowDown") highlight(state.active + 1);
  else if (open && event.key === "ArrowUp") highlight(state.active - 1);
  else if (open && event.key === "Tab") pick(state.active >= 0 ? state.active : 0);
  else if (open && event.key === "Enter" && state.active >= 0) pick(state.active);
  else if (event.key === "Escape") renderSuggestions(null);
  else return;
  event.preventDefault();
});
$("composer").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = $("composer-input");
  const line = input.value;
  if (!line.trim()) return;
  renderSuggestions(null);
  clearTimeout(suggestTimer);
  suggestSeq += 1;
  const result = await act(post("/api/send", { userId: state.userId, channelId: state.channelId, line }));
  if (result.ok) input.value = "";
});
$("run-day").addEventListener("click", () => void act(post("/api/digest/run-day", {})));

// ---- start: the world, then live message changes ----
async function start() {
  await refreshWorld();
  state.userId = state.world.members.find((m) => !m.bot)?.id ?? null;
  state.channelId = state.world.channels[0]?.id ?? null;
  renderWorld();
  const events = new EventSource("/api/events");
  events.addEventListener("open", async () => {
    // Also after a reconnect: the server (perhaps a restarted one) is the only record of the channel.
    state.messages.clear();
    for (const message of await (await fetch("/api/messages")).json()) state.messages.set(message.id, message);
    renderMessages();
    document.body.dataset.ready = "true";
  });
  events.addEventListener("message", (event) => {
    const change = JSON.parse(event.data);
    if (change.type === "upsert") state.messages.set(change.message.id, change.message);
    else if (change.type === "delete") state.messages.delete(change.id);
    else if (change.type === "clock") void refreshWorld();
    renderMessages();
  });
}
void start();
