/* global document, fetch, setInterval */
// Small helpers of the playground page: building elements, posting JSON, Discord's timestamps.

export const $ = (id) => document.getElementById(id);
export const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};
/** Only for the server's *Html fields (rendered and escaped by src/playground/markdown.ts). */
export const html = (tag, className, trustedHtml) => {
  const node = el(tag, className);
  node.innerHTML = trustedHtml;
  return node;
};

export async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  return response.json();
}

// ---- timestamps, as Discord formats <t:unix:style> in the reader's own zone ----
const FORMATS = {
  t: { timeStyle: "short" },
  T: { timeStyle: "medium" },
  d: { dateStyle: "short" },
  D: { dateStyle: "long" },
  f: { dateStyle: "long", timeStyle: "short" },
  F: { dateStyle: "full", timeStyle: "short" },
};
function relative(ms) {
  const seconds = Math.round((ms - Date.now()) / 1000);
  const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
  const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) ?? ["second", 1];
  return new Intl.RelativeTimeFormat("en", { numeric: "auto" }).format(Math.round(seconds / size), unit);
}
export function formatTimestamps(root) {
  for (const node of root.querySelectorAll("time.timestamp")) {
    const ms = Number(node.dataset.unix) * 1000;
    const style = node.dataset.style;
    node.textContent = style === "R" ? relative(ms) : new Intl.DateTimeFormat("en-GB", FORMATS[style] ?? FORMATS.f).format(ms);
    node.title = new Date(ms).toString();
  }
}
setInterval(() => formatTimestamps(document), 30_000);

