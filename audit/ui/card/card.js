// The rating card, the quick grid and two small helpers of the workshop room
// (a Streamlit Components v2 module; see audit/ui/card/__init__.py for the protocol).
//
// Everything a person does is answered here, in the browser, at once: taps,
// Next/Previous, auto-advance, keys. Each answer is one item of an outbox
// (device, seq, touchpoint on screen, field, value, time) kept in memory, in
// localStorage and in the component's state value; the server acknowledges
// items through `data.acks` and the card drops them only then. Unacknowledged
// items are sent again every few seconds, so nothing is lost when the server
// pauses, the network drops or the page is reloaded.
//
// Text from people and catalogs is only ever set with textContent.

const REACTIONS = ["positive", "neutral", "negative"];
const PRESENCES = ["have", "missing", "not-needed"];
const KEY_REACTION = { KeyA: "positive", KeyS: "neutral", KeyD: "negative" };
const KEY_PRESENCE = { KeyZ: "have", KeyX: "missing", KeyC: "not-needed" };
const RETRY_MS = 2000; // an unacknowledged outbox is sent again this often
const LATE_MS = 2500; // after this long without an acknowledgement: "not saved yet - will retry"
const SEND_AT_ONCE = 200; // items per state update; the rest follow once these are acknowledged
const ADVANCE_MS = 450; // auto-advance waits this long so the choice is seen
const TOAST_MS = 4000;
const TEXT_IDLE_MS = 800; // a comment is sent after this pause in typing (and on leaving the box)
const SVG = "http://www.w3.org/2000/svg";
const FACES = {
  positive: "M8 14c1 1.6 2.3 2.4 4 2.4s3-.8 4-2.4",
  neutral: "M8.5 15.2h7",
  negative: "M8 16.6c1-1.6 2.3-2.4 4-2.4s3 .8 4 2.4",
};

const instances = new WeakMap(); // parentElement -> view (a module is shared by every mount)
const bus = new EventTarget(); // the follow view tells the cards where the facilitator is
let lastFollow = null;
// Streamlit may unmount and mount a component again (e.g. when reruns overlap). A new mount must
// come back at once, on the same card: the decks already received and the start positions already
// used are kept here, for the life of the page.
const decks = new Map(); // "slot|person|version" -> {items, labels}
const startsUsed = new Set(); // "slot|person"
const metrics = (window.__tpaMetrics = window.__tpaMetrics || []); // tap timings, read by the browser tests
const moves = (window.__tpaMoves = window.__tpaMoves || []); // every change of the card on screen, and why

// ------------------------------------------------------------------ small helpers

function lsGet(key) {
  try { return window.localStorage.getItem(key); } catch (e) { return null; }
}
function lsSet(key, value) {
  try { window.localStorage.setItem(key, value); } catch (e) { /* private mode or full: memory still holds it */ }
}
function lsDel(key) {
  try { window.localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
}
function lsKeys(prefix) {
  const out = [];
  try {
    for (let i = 0; i < window.localStorage.length; i++) {
      const key = window.localStorage.key(i);
      if (key && key.startsWith(prefix)) out.push(key);
    }
  } catch (e) { /* no storage */ }
  return out;
}
function randomId() {
  const bytes = new Uint8Array(9);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join("");
}
function fmt(template, values) {
  return String(template || "").replace(/\{(\w+)\}/g, (m, name) => (name in values ? String(values[name]) : m));
}
function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
function face(reaction) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.classList.add("face");
  const ring = document.createElementNS(SVG, "circle");
  ring.setAttribute("cx", "12"); ring.setAttribute("cy", "12"); ring.setAttribute("r", "9.5");
  svg.appendChild(ring);
  for (const x of ["9", "15"]) {
    const eye = document.createElementNS(SVG, "circle");
    eye.setAttribute("cx", x); eye.setAttribute("cy", "10"); eye.setAttribute("r", "1.2");
    eye.classList.add("eye");
    svg.appendChild(eye);
  }
  const mouth = document.createElementNS(SVG, "path");
  mouth.setAttribute("d", FACES[reaction]);
  svg.appendChild(mouth);
  return svg;
}
function fillLabels(root, labels) {
  root.querySelectorAll("[data-label]").forEach((node) => {
    const text = labels[node.dataset.label];
    if (text !== undefined) node.textContent = text;
  });
}
function template(parent, id) {
  const tpl = parent.querySelector(`#${id}`);
  return tpl.content.firstElementChild.cloneNode(true);
}
function typingTarget(event) {
  const target = event.composedPath ? event.composedPath()[0] : event.target;
  if (!target || !target.tagName) return false;
  const tag = target.tagName.toLowerCase();
  return tag === "textarea" || tag === "input" || tag === "select" || target.isContentEditable;
}

// Answers as the server sends them: {tp: [importance, reaction, presence, na, comment, idea]}.
function decodeAnswers(raw) {
  const out = {};
  for (const [tp, row] of Object.entries(raw || {})) {
    out[tp] = {
      importance: row[0] ?? null, reaction: row[1] ?? null, presence: row[2] ?? null,
      not_applicable: !!row[3], comment: row[4] || "", idea: row[5] || "",
    };
  }
  return out;
}

// ------------------------------------------------------------------ the outbox

// Answers waiting for the server's acknowledgement, in order. One outbox per page load
// (its own device id, so two tabs or a reload never share a sequence); on start it adopts
// what earlier loads of the same person left in localStorage, with their original ids.
class Outbox {
  constructor(slot, person, send) {
    this.prefix = `tpa.outbox.${slot}.${person}.`;
    this.device = randomId();
    this.seq = 0;
    this.items = [];
    this.send = send; // (items) => void: puts them in the component's state value
    this.lastSend = 0;
    this.firstSent = new Map(); // "device:seq" -> time first sent
    this.savedAt = new Map(); // "tp|field" -> time acknowledged
    this.refused = new Set(); // "tp|field" refused by the server
    this.adopt();
  }
  key(item) { return `${item.d}:${item.s}`; }
  adopt() {
    const seen = new Set();
    for (const key of lsKeys(this.prefix)) {
      let list = [];
      try { list = JSON.parse(lsGet(key) || "[]"); } catch (e) { list = []; }
      for (const item of Array.isArray(list) ? list : []) {
        if (item && typeof item.d === "string" && Number.isInteger(item.s) && !seen.has(this.key(item))) {
          seen.add(this.key(item));
          this.items.push(item);
        }
      }
      lsDel(key);
    }
    this.items.sort((a, b) => (a.a - b.a) || (a.d < b.d ? -1 : a.d > b.d ? 1 : a.s - b.s));
    this.save();
  }
  save() {
    const mine = `${this.prefix}${this.device}`;
    if (this.items.length) lsSet(mine, JSON.stringify(this.items));
    else lsDel(mine);
  }
  add(tp, field, value) {
    this.seq += 1;
    const item = { d: this.device, s: this.seq, t: tp, f: field, v: value, a: Date.now() };
    this.items.push(item);
    this.refused.delete(`${tp}|${field}`);
    this.save();
    this.flush();
    return item;
  }
  flush() {
    const now = performance.now();
    this.lastSend = now;
    const batch = this.items.slice(0, SEND_AT_ONCE);
    for (const item of batch) if (!this.firstSent.has(this.key(item))) this.firstSent.set(this.key(item), now);
    this.send(batch);
  }
  // The server's acknowledgements: {device: last seq handled}, refused: {device: [seq, ...]}.
  acknowledge(acks, refused) {
    const before = this.items.length;
    const now = performance.now();
    const done = (item) => acks && Number.isInteger(acks[item.d]) && item.s <= acks[item.d];
    const bad = (item) => refused && Array.isArray(refused[item.d]) && refused[item.d].includes(item.s);
    const keep = [];
    for (const item of this.items) {
      if (done(item) || bad(item)) {
        const where = `${item.t}|${item.f}`;
        if (bad(item)) this.refused.add(where); else this.savedAt.set(where, now);
        this.firstSent.delete(this.key(item));
        recordAck(item, now);
      } else {
        keep.push(item);
      }
    }
    this.items = keep;
    if (keep.length !== before) {
      this.save();
      if (keep.length) this.flush(); // more than one batch was waiting
    }
    return keep.length !== before;
  }
  latest(tp, field) {
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item.t === tp && item.f === field) return item;
    }
    return null;
  }
  late(item, now) {
    const first = this.firstSent.get(this.key(item));
    return !navigator.onLine || (first !== undefined && now - first > LATE_MS);
  }
  status(tp, field) {
    const item = this.latest(tp, field);
    if (item) return this.late(item, performance.now()) ? "retry" : "sending";
    if (this.refused.has(`${tp}|${field}`)) return "refused";
    return this.savedAt.has(`${tp}|${field}`) ? "saved" : "";
  }
  counts() {
    const now = performance.now();
    let late = 0;
    for (const item of this.items) if (this.late(item, now)) late += 1;
    return { waiting: this.items.length, late };
  }
  tick() {
    if (this.items.length && performance.now() - this.lastSend > RETRY_MS) this.flush();
  }
}

function noteMove(from, to, why) {
  if (from === to) return;
  moves.push({ t: performance.now(), from, to, why });
  if (moves.length > 2000) moves.splice(0, moves.length - 2000);
}
function recordTap(item, tapTime) {
  const entry = { d: item.d, s: item.s, tp: item.t, f: item.f, v: item.v, tap: tapTime, shown: null, acked: null };
  metrics.push(entry);
  if (metrics.length > 5000) metrics.splice(0, metrics.length - 5000);
  window.requestAnimationFrame(() => { entry.shown = performance.now(); });
}
function recordAck(item, now) {
  for (let i = metrics.length - 1; i >= 0 && i >= metrics.length - 400; i--) {
    const entry = metrics[i];
    if (entry.d === item.d && entry.s === item.s) {
      if (entry.acked === null) entry.acked = now;
      return;
    }
  }
}

// ------------------------------------------------------------------ what both answer views share

class AnswerView {
  constructor(parent, root, data, api) {
    this.parent = parent;
    this.root = root;
    this.api = api;
    this.slot = data.slot;
    this.person = data.person;
    this.labels = data.labels || {};
    this.deck = [];
    this.deckVersion = null;
    this.server = {};
    this.outbox = new Outbox(this.slot, this.person, (items) => this.sendState(items));
    this.sends = 0;
    this.timer = window.setInterval(() => this.tick(), 500);
    lsSet(`tpa.person.${this.slot}`, this.person); // the team link reopens as this person
  }
  sendState(items) {
    this.sends += 1;
    this.api.setStateValue("outbox", { items, n: this.sends, deck: this.deckVersion });
  }
  update(data) {
    if (data.labels) this.labels = data.labels;
    this.server = decodeAnswers(data.answers); // before the deck: a new card starts at the first unanswered
    const cacheKey = (version) => `${this.slot}|${this.person}|${version}`;
    if (data.deck && Array.isArray(data.deck.items)) {
      decks.set(cacheKey(data.deck.version), { items: data.deck.items, labels: this.labels });
      this.deck = data.deck.items;
      this.deckVersion = data.deck.version;
      this.onDeck(data);
    } else if (data.deck_version && data.deck_version !== this.deckVersion) {
      const kept = decks.get(cacheKey(data.deck_version));
      if (kept) { // mounted again: the deck this page already received
        this.deck = kept.items;
        this.labels = kept.labels;
        this.deckVersion = data.deck_version;
        this.onDeck(data);
      } else {
        this.sendState(this.outbox.items.slice(0, SEND_AT_ONCE)); // ask for the deck
      }
    }
    this.outbox.acknowledge(data.acks, data.refused);
    if (data.deck) this.sendState(this.outbox.items.slice(0, SEND_AT_ONCE)); // tells Python "I have this deck"
    this.render();
  }
  value(tp, field) {
    const item = this.outbox.latest(tp, field);
    if (item) return item.v;
    const saved = this.server[tp];
    if (!saved) return field === "comment" || field === "idea" ? "" : field === "not_applicable" ? false : null;
    return saved[field];
  }
  isAnswered(tp) {
    return !!this.value(tp, "not_applicable") || (this.value(tp, "importance") !== null && this.value(tp, "reaction") !== null);
  }
  ratedCount() {
    let n = 0;
    for (const item of this.deck) if (this.isAnswered(item.id)) n += 1;
    return n;
  }
  answer(tp, field, value, event) {
    const item = this.outbox.add(tp, field, value);
    recordTap(item, event && event.timeStamp ? event.timeStamp : performance.now());
    return item;
  }
  summary() {
    const { waiting, late } = this.outbox.counts();
    if (late) return { text: fmt(this.labels.waiting, { count: late }), kind: "retry" };
    if (waiting) return { text: fmt(this.labels.sending_count, { count: waiting }), kind: "sending" };
    return { text: this.outbox.savedAt.size ? this.labels.all_saved : "", kind: "saved" };
  }
  showSummary(node) {
    const s = this.summary();
    node.textContent = s.text;
    node.dataset.kind = s.kind;
  }
  statusText(kind) {
    return { sending: this.labels.status_sending, saved: this.labels.status_saved, retry: this.labels.status_retry, refused: this.labels.status_refused }[kind] || "";
  }
  tick() {
    this.outbox.tick();
    this.refresh();
  }
  destroy() {
    window.clearInterval(this.timer);
  }
  onDeck() {}
  render() {}
  refresh() {}
}

function choiceButtons(row, field, values, labels, onPick, withFaces) {
  row.replaceChildren();
  for (const value of values) {
    const button = el("button", "choice");
    button.type = "button";
    button.dataset.field = field;
    button.dataset.value = String(value);
    button.setAttribute("role", "radio");
    button.setAttribute("aria-checked", "false");
    if (withFaces) button.appendChild(face(value));
    button.appendChild(el("span", "word", labels[value] ?? value));
    button.addEventListener("click", (event) => onPick(value, event));
    row.appendChild(button);
  }
}
function markChosen(row, chosen) {
  row.querySelectorAll("button.choice").forEach((button) => {
    const on = chosen !== null && chosen !== undefined && button.dataset.value === String(chosen);
    button.setAttribute("aria-checked", on ? "true" : "false");
    button.classList.toggle("on", on);
  });
}

// ------------------------------------------------------------------ the card

class Card extends AnswerView {
  constructor(parent, root, data, api) {
    super(parent, root, data, api);
    this.node = template(parent, "tpa-card");
    root.replaceChildren(this.node);
    this.index = 0;
    this.shownTp = null;
    this.followItem = null; // the facilitator's touchpoint when it is not in this deck
    this.follow = null;
    this.followN = null;
    this.followOn = lsGet(`tpa.follow.${this.slot}`) !== "off";
    this.advanceTimer = null;
    this.toastTimer = null;
    this.undoIndex = null;
    this.editing = null; // {tp, field, timer}
    this.start = data.start || null;
    this.auto = lsGet("tpa.auto") !== "off" && data.auto !== false;
    this.build();
    this.onKey = (event) => this.key(event);
    document.addEventListener("keydown", this.onKey);
    this.onFollowEvent = (event) => this.onFollow(event.detail);
    bus.addEventListener("follow", this.onFollowEvent);
  }
  build() {
    const n = this.node;
    const q = (sel) => n.querySelector(sel);
    this.el = {
      pos: q(".pos"), cat: q(".cat"), rated: q(".rated"), name: q(".name"), question: q(".question"),
      questionText: q(".question-text"), team: q(".badge.team"), tags: q(".tags"), answers: q(".answers"),
      skipped: q(".skipped"), done: q(".done"), summary: q(".summary"), toast: q(".toast"),
      follow: q(".follow"), followText: q(".follow-text"), clock: q(".clock"), followToggle: q(".follow-toggle"),
      prev: q(".move.prev"), next: q(".move.next"), unrated: q(".move.unrated"), na: q(".move.na"), auto: q(".auto-box"),
      rows: {
        importance: q('[data-field="importance"] .row'),
        reaction: q('[data-field="reaction"] .row'),
        presence: q('[data-field="presence"] .row'),
      },
    };
    const pick = (field) => (value, event) => this.tap(field, value, event);
    choiceButtons(this.el.rows.importance, "importance", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {}, pick("importance"), false);
    choiceButtons(this.el.rows.reaction, "reaction", REACTIONS, {}, pick("reaction"), true);
    choiceButtons(this.el.rows.presence, "presence", PRESENCES, {}, pick("presence"), false);
    this.el.prev.addEventListener("click", () => this.move(-1));
    this.el.next.addEventListener("click", () => this.move(1));
    this.el.unrated.addEventListener("click", () => this.nextUnrated());
    this.el.na.addEventListener("click", (event) => this.skip(event));
    n.querySelector(".undo-na").addEventListener("click", (event) => this.tap("not_applicable", false, event));
    n.querySelector(".toast .undo").addEventListener("click", () => this.undo());
    this.el.followToggle.addEventListener("click", () => this.toggleFollow());
    this.el.auto.addEventListener("change", () => {
      this.auto = this.el.auto.checked;
      lsSet("tpa.auto", this.auto ? "on" : "off");
      if (!this.auto) this.cancelAdvance();
    });
    n.querySelectorAll("button.open").forEach((button) => {
      button.addEventListener("click", () => this.openText(button.dataset.open, true));
    });
    for (const field of ["comment", "idea"]) {
      const box = n.querySelector(`[data-field="${field}"] textarea`);
      box.addEventListener("input", () => this.typed(field, box));
      box.addEventListener("blur", () => this.commitText());
    }
  }
  applyLabels() {
    fillLabels(this.node, this.labels);
    const words = (kind, values) => values.forEach((v) => {
      const word = this.node.querySelector(`button.choice[data-field="${kind}"][data-value="${v}"] .word`);
      if (word) word.textContent = this.labels[`${kind}_${v}`] ?? v;
    });
    words("reaction", REACTIONS);
    words("presence", PRESENCES);
    for (const field of ["comment", "idea"]) {
      this.node.querySelector(`[data-field="${field}"] textarea`).placeholder = this.labels[`${field}_placeholder`] || "";
    }
  }
  onDeck() {
    this.applyLabels();
    const keep = this.shownTp && this.deck.findIndex((item) => item.id === this.shownTp);
    if (keep !== null && keep >= 0) { this.index = keep; return; }
    const who = `${this.slot}|${this.person}`;
    const start = startsUsed.has(who) ? null : this.start; // a link's touchpoint counts once per page load
    startsUsed.add(who);
    const wanted = start || lsGet(`tpa.at.${this.slot}.${this.person}`);
    this.start = null;
    const at = this.deck.findIndex((item) => item.id === wanted);
    this.index = at >= 0 ? at : this.firstUnrated(-1);
    noteMove(this.shownTp, this.deck[this.index] ? this.deck[this.index].id : null, this.shownTp ? "deck" : "start");
    if (lastFollow && this.followOn) this.onFollow(lastFollow);
  }
  current() {
    return this.followItem || this.deck[this.index] || null;
  }
  firstUnrated(after) {
    const n = this.deck.length;
    for (let step = 1; step <= n; step++) {
      const i = (after + step + n) % n;
      if (!this.isAnswered(this.deck[i].id)) return i;
    }
    return Math.max(0, Math.min(after < 0 ? 0 : after, n - 1));
  }
  // ---- moving
  go(index, why, { scroll = true } = {}) {
    this.commitText();
    this.cancelAdvance();
    const from = this.shownTp;
    this.followItem = null;
    this.index = Math.max(0, Math.min(index, this.deck.length - 1));
    this.render();
    noteMove(from, this.shownTp, why);
    const tp = this.current();
    if (tp) lsSet(`tpa.at.${this.slot}.${this.person}`, tp.id);
    if (scroll) this.scrollToTop();
  }
  move(delta) {
    if (this.followItem) { this.go(this.index, "back"); return; }
    this.go(this.index + delta, delta > 0 ? "next" : "previous");
  }
  nextUnrated() {
    const from = this.followItem ? this.index - 1 : this.index;
    const target = this.unratedAfter(from);
    if (target === null) { this.render(true); return; }
    this.go(target, "unrated");
  }
  unratedAfter(from) {
    const n = this.deck.length;
    for (let step = 1; step <= n; step++) {
      const i = (from + step + n) % n;
      if (!this.isAnswered(this.deck[i].id)) return i;
    }
    return null;
  }
  scrollToTop() {
    const host = this.parent.host || this.node;
    const top = host.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.5) {
      host.style.scrollMarginTop = "64px";
      host.scrollIntoView({ block: "start" });
    }
  }
  // ---- answering
  tap(field, value, event) {
    const tp = this.shownTp;
    if (!tp) return;
    this.answer(tp, field, value, event);
    this.renderAnswers();
    if (field === "not_applicable") { this.render(); return; }
    if (this.auto && (field === "importance" || field === "reaction") && this.isAnswered(tp)) this.scheduleAdvance(tp);
    else if (this.advanceTimer) this.scheduleAdvance(tp); // keep tapping: the move waits
  }
  skip(event) {
    const tp = this.shownTp;
    if (!tp) return;
    this.answer(tp, "not_applicable", true, event);
    this.advanceFrom(tp);
  }
  scheduleAdvance(tp) {
    this.cancelAdvance();
    this.advanceTimer = window.setTimeout(() => {
      this.advanceTimer = null;
      if (this.shownTp === tp) this.advanceFrom(tp);
    }, ADVANCE_MS);
  }
  cancelAdvance() {
    if (this.advanceTimer) window.clearTimeout(this.advanceTimer);
    this.advanceTimer = null;
  }
  advanceFrom(tp) {
    const from = this.deck.findIndex((item) => item.id === tp);
    const target = this.unratedAfter(from < 0 ? this.index : from);
    if (target === null) { this.render(true); return; }
    const back = this.followItem ? null : this.index;
    this.go(target, "auto");
    this.showToast(back);
  }
  showToast(back) {
    this.undoIndex = back;
    this.el.toast.hidden = back === null;
    if (this.toastTimer) window.clearTimeout(this.toastTimer);
    this.toastTimer = window.setTimeout(() => { this.el.toast.hidden = true; }, TOAST_MS);
  }
  undo() {
    this.el.toast.hidden = true;
    if (this.undoIndex !== null) this.go(this.undoIndex, "undo");
    this.undoIndex = null;
  }
  openText(field, focus) {
    const section = this.node.querySelector(`section[data-field="${field}"]`);
    section.hidden = false;
    this.node.querySelector(`button.open[data-open="${field}"]`).hidden = true;
    if (focus) section.querySelector("textarea").focus();
  }
  typed(field, box) {
    const tp = this.shownTp;
    if (this.editing && (this.editing.tp !== tp || this.editing.field !== field)) this.commitText();
    if (!this.editing) this.editing = { tp, field, box, timer: null };
    if (this.editing.timer) window.clearTimeout(this.editing.timer);
    this.editing.timer = window.setTimeout(() => this.commitText(), TEXT_IDLE_MS);
  }
  commitText() {
    const editing = this.editing;
    if (!editing) return;
    this.editing = null;
    if (editing.timer) window.clearTimeout(editing.timer);
    const text = editing.box.value.slice(0, 5000);
    if (text.trim() !== String(this.value(editing.tp, editing.field) || "").trim()) this.answer(editing.tp, editing.field, text, null);
  }
  // ---- keys (desktop)
  key(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingTarget(event) || !this.node.isConnected) return;
    let handled = true;
    if (/^Digit[0-9]$/.test(event.code) || /^Numpad[0-9]$/.test(event.code)) {
      const digit = Number(event.code.slice(-1));
      this.tap("importance", digit === 0 ? 10 : digit, event);
    } else if (KEY_REACTION[event.code]) this.tap("reaction", KEY_REACTION[event.code], event);
    else if (KEY_PRESENCE[event.code]) this.tap("presence", KEY_PRESENCE[event.code], event);
    else if (event.code === "ArrowRight" || event.code === "KeyN") this.move(1);
    else if (event.code === "ArrowLeft" || event.code === "KeyP") this.move(-1);
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }
  // ---- follow the facilitator
  onFollow(state) {
    this.follow = state && state.tp ? state : null;
    if (this.follow) this.follow.offset = (state.now || Date.now()) - Date.now();
    if (!this.follow) {
      this.followN = null;
      if (this.followItem) this.go(this.index, "follow-ended", { scroll: false });
      this.renderFollow();
      return;
    }
    if (this.follow.n !== this.followN) {
      this.followN = this.follow.n;
      if (this.followOn && this.deck.length) this.goFollow();
    }
    this.renderFollow();
  }
  goFollow() {
    const at = this.deck.findIndex((item) => item.id === this.follow.tp);
    if (at >= 0) { this.go(at, "follow"); return; }
    if (this.follow.item) {
      this.commitText();
      this.cancelAdvance();
      const from = this.shownTp;
      this.followItem = this.follow.item;
      this.render();
      noteMove(from, this.shownTp, "follow");
      this.scrollToTop();
    }
  }
  toggleFollow() {
    this.followOn = !this.followOn;
    lsSet(`tpa.follow.${this.slot}`, this.followOn ? "on" : "off");
    if (this.followOn && this.follow) this.goFollow();
    this.renderFollow();
  }
  renderFollow() {
    const f = this.follow;
    this.el.follow.hidden = !f;
    if (!f) return;
    const name = f.item ? f.item.name : "";
    this.el.followText.textContent = this.followOn ? this.labels.following : fmt(this.labels.facilitator_at, { name });
    this.el.followToggle.textContent = this.followOn ? this.labels.leave : this.labels.follow;
    this.el.follow.classList.toggle("off", !this.followOn);
    this.renderClock();
  }
  renderClock() {
    const f = this.follow;
    const ends = f && f.ends;
    this.el.clock.hidden = !ends;
    if (!ends) return;
    const left = Math.round((ends - (Date.now() + f.offset)) / 1000);
    if (left <= 0) { this.el.clock.textContent = this.labels.time_up; this.el.clock.classList.add("up"); return; }
    const text = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
    this.el.clock.textContent = fmt(this.labels.time_left, { time: text });
    this.el.clock.classList.remove("up");
  }
  // ---- drawing
  render(allDone = false) {
    const tp = this.current();
    this.node.hidden = !tp;
    if (!tp) return;
    const n = this.deck.length;
    this.shownTp = tp.id;
    this.node.dataset.tp = tp.id;
    this.el.pos.textContent = this.followItem ? this.labels.facilitator_card : fmt(this.labels.position, { n: this.index + 1, total: n });
    this.el.cat.textContent = tp.group ? `${tp.cat} · ${tp.group}` : tp.cat;
    this.el.name.textContent = tp.name;
    this.el.question.hidden = !tp.q;
    this.el.questionText.textContent = tp.q || "";
    this.el.team.hidden = !tp.team;
    this.el.tags.textContent = tp.tags || "";
    this.el.prev.disabled = !this.followItem && this.index <= 0;
    this.el.next.disabled = !this.followItem && this.index >= n - 1;
    this.el.auto.checked = this.auto;
    this.el.done.hidden = !allDone;
    for (const field of ["comment", "idea"]) {
      const box = this.node.querySelector(`[data-field="${field}"] textarea`);
      const text = this.value(tp.id, field) || "";
      if (!(this.editing && this.editing.box === box)) box.value = text;
      const open = !!text;
      this.node.querySelector(`section[data-field="${field}"]`).hidden = !open;
      this.node.querySelector(`button.open[data-open="${field}"]`).hidden = open;
    }
    this.renderAnswers();
    this.renderFollow();
  }
  renderAnswers() {
    const tp = this.shownTp;
    if (!tp) return;
    const skipped = !!this.value(tp, "not_applicable");
    this.el.answers.hidden = skipped;
    this.el.skipped.hidden = !skipped;
    this.el.na.hidden = skipped;
    for (const field of ["importance", "reaction", "presence"]) markChosen(this.el.rows[field], this.value(tp, field));
    this.refresh();
  }
  refresh() {
    const tp = this.shownTp;
    if (!tp) return;
    this.node.querySelectorAll("section.q").forEach((section) => {
      const kind = this.outbox.status(tp, section.dataset.field);
      const st = section.querySelector(".st");
      st.textContent = this.statusText(kind);
      st.dataset.kind = kind;
    });
    this.el.rated.textContent = fmt(this.labels.rated, { done: this.ratedCount() });
    this.showSummary(this.el.summary);
    if (this.follow) this.renderClock();
  }
  destroy() {
    super.destroy();
    this.commitText();
    this.cancelAdvance();
    document.removeEventListener("keydown", this.onKey);
    bus.removeEventListener("follow", this.onFollowEvent);
  }
}

// ------------------------------------------------------------------ the quick grid

class Grid extends AnswerView {
  constructor(parent, root, data, api) {
    super(parent, root, data, api);
    this.node = template(parent, "tpa-grid");
    root.replaceChildren(this.node);
    this.body = this.node.querySelector("tbody");
    this.rows = new Map(); // tp id -> <tr>
    this.onKey = (event) => this.key(event);
    this.node.addEventListener("keydown", this.onKey);
  }
  onDeck() {
    fillLabels(this.node, this.labels);
    this.body.replaceChildren();
    this.rows.clear();
    this.deck.forEach((item, i) => this.body.appendChild(this.row(item, i)));
  }
  row(item, i) {
    const tr = template(this.parent, "tpa-grid-row");
    tr.dataset.tp = item.id;
    tr.querySelector(".num").textContent = String(i + 1);
    tr.querySelector(".name").textContent = item.name;
    tr.querySelector(".question-text").textContent = item.q || "";
    tr.querySelector(".tpname").title = item.q || ""; // the whole question on hover (two lines are shown)
    const words = (kind, values) => Object.fromEntries(values.map((v) => [v, this.labels[`${kind}_${v}`] ?? v]));
    const pick = (field) => (value, event) => this.tap(item.id, field, value, event);
    choiceButtons(tr.querySelector('[data-field="importance"]'), "importance", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {}, pick("importance"), false);
    choiceButtons(tr.querySelector('[data-field="reaction"]'), "reaction", REACTIONS, words("reaction", REACTIONS), pick("reaction"), true);
    choiceButtons(tr.querySelector('[data-field="presence"]'), "presence", PRESENCES, words("presence_short", PRESENCES), pick("presence"), false);
    tr.querySelectorAll('[data-field="reaction"] .word').forEach((w) => w.classList.add("sr"));
    this.rows.set(item.id, tr);
    return tr;
  }
  tap(tp, field, value, event) {
    this.answer(tp, field, value, event);
    this.renderRow(tp);
    this.refresh();
  }
  key(event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typingTarget(event)) return;
    const path = event.composedPath ? event.composedPath() : [];
    const tr = path.find((node) => node && node.tagName === "TR" && node.dataset && node.dataset.tp);
    if (!tr) return;
    const tp = tr.dataset.tp;
    let handled = true;
    if (/^Digit[0-9]$/.test(event.code) || /^Numpad[0-9]$/.test(event.code)) {
      const digit = Number(event.code.slice(-1));
      this.tap(tp, "importance", digit === 0 ? 10 : digit, event);
    } else if (KEY_REACTION[event.code]) this.tap(tp, "reaction", KEY_REACTION[event.code], event);
    else if (KEY_PRESENCE[event.code]) this.tap(tp, "presence", KEY_PRESENCE[event.code], event);
    else if (event.code === "ArrowDown" || event.code === "Enter") this.focusRow(tr.nextElementSibling);
    else if (event.code === "ArrowUp") this.focusRow(tr.previousElementSibling);
    else handled = false;
    if (handled) { event.preventDefault(); event.stopPropagation(); }
  }
  focusRow(tr) {
    if (tr) tr.focus();
  }
  render() {
    for (const item of this.deck) this.renderRow(item.id);
    this.refresh();
  }
  renderRow(tp) {
    const tr = this.rows.get(tp);
    if (!tr) return;
    for (const field of ["importance", "reaction", "presence"]) markChosen(tr.querySelector(`[data-field="${field}"]`), this.value(tp, field));
    tr.classList.toggle("answered", this.isAnswered(tp));
    tr.classList.toggle("skipped", !!this.value(tp, "not_applicable"));
  }
  refresh() {
    for (const [tp, tr] of this.rows) {
      const kinds = ["importance", "reaction", "presence"].map((f) => this.outbox.status(tp, f));
      const kind = ["refused", "retry", "sending", "saved"].find((k) => kinds.includes(k)) || "";
      const st = tr.querySelector(".st");
      st.textContent = this.statusText(kind);
      st.dataset.kind = kind;
    }
    this.node.querySelector(".rated").textContent = fmt(this.labels.rated_of, { done: this.ratedCount(), total: this.deck.length });
    this.showSummary(this.node.querySelector(".summary"));
  }
  destroy() {
    super.destroy();
    this.node.removeEventListener("keydown", this.onKey);
  }
}

// ------------------------------------------------------------------ the helpers

// "recall": which person this browser was for this team link (read once, reported to Python).
function recall(data, api) {
  const key = `tpa.person.${data.slot}`;
  if (data.forget) lsDel(key);
  api.setStateValue("recall", { person: data.forget ? "" : lsGet(key) || "", checked: true });
}

// "follow": where the facilitator is; passed on to every card of this page.
function follow(data) {
  const state = data.follow || null;
  const same = JSON.stringify(state) === JSON.stringify(lastFollow);
  lastFollow = state;
  if (!same || !state) bus.dispatchEvent(new CustomEvent("follow", { detail: state }));
}

// ------------------------------------------------------------------ entry point

export default function (component) {
  const { data, parentElement, setStateValue } = component;
  const api = { setStateValue };
  const view = (data && data.view) || "none";
  if (view === "recall") { recall(data, api); return undefined; }
  if (view === "follow") { follow(data); return undefined; }
  const root = parentElement.querySelector(".tpa");
  let instance = instances.get(parentElement);
  if (!instance || instance.view !== view || instance.person !== data.person || instance.slot !== data.slot) {
    if (instance) instance.destroy();
    moves.push({ t: performance.now(), from: null, to: null, why: `mount ${view}` });
    root.dataset.view = view;
    instance = view === "grid" ? new Grid(parentElement, root, data, api) : new Card(parentElement, root, data, api);
    instance.view = view;
    instances.set(parentElement, instance);
  }
  instance.api.setStateValue = setStateValue;
  instance.update(data);
  return () => {
    instance.destroy();
    instances.delete(parentElement);
  };
}
