// The Mini App "My week" (docs/miniapp.md). Plain JavaScript, no build step.
// Init data: Telegram.WebApp.initData when Telegram's script loaded, else the URL fragment's
// tgWebAppData (as Telegram passes it). It goes with every API call; nothing is stored.
(function () {
  "use strict";
  const T = JSON.parse(document.getElementById("texts").textContent);
  const API = document.body.dataset.api;
  const tg = window.Telegram && window.Telegram.WebApp;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const initData = (tg && tg.initData) || fragment.get("tgWebAppData") || "";
  const app = document.getElementById("app");
  let state = null;

  // Theme: Telegram's script sets --tg-theme-*; without it, from tgWebAppThemeParams.
  if (!(tg && tg.initData)) {
    try {
      const theme = JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
      for (const [key, value] of Object.entries(theme)) {
        document.documentElement.style.setProperty(
          "--tg-theme-" + key.replace(/_/g, "-"), String(value));
      }
    } catch (e) { /* no theme: the page's own colours */ }
  }
  if (tg && tg.ready) { tg.ready(); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") { node.className = value; }
      else if (key === "onclick") { node.addEventListener("click", value); }
      else { node.setAttribute(key, value); }
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" ? document.createTextNode(child) : child);
      }
    }
    return node;
  }

  function showError(text) {
    document.body.dataset.state = "error";
    app.replaceChildren(el("p", { class: "error", id: "error" }, text));
  }

  function notice(text, bad) {
    const node = document.getElementById("notice");
    if (node) { node.textContent = text; node.className = bad ? "bad" : ""; }
  }

  async function call(path, body) {
    const options = { headers: { Authorization: "tma " + initData } };
    if (body !== undefined) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(API + path, options);
    } catch (e) {
      return { ok: false, status: 0, body: { error: T.error } };
    }
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    return { ok: response.ok, status: response.status, body: data };
  }

  async function act(body, saved) {
    for (const button of app.querySelectorAll("button.act")) { button.disabled = true; }
    notice(T.saving, false);
    const result = await call("/action", body);
    if (result.status === 401) { showError(T.error_auth); return null; }
    if (!result.ok) {
      notice(result.body.error || (result.status === 504 ? T.slow : T.error), true);
      for (const button of app.querySelectorAll("button.act")) { button.disabled = false; }
      return null;
    }
    state = result.body;
    render();
    notice(saved, false);
    return state;
  }

  function exercise(item) {
    const variant = el("div", { class: "variant-text hint", hidden: "" });
    function show(label, text) {
      return el("button", {
        class: "secondary small",
        onclick: () => {
          const same = !variant.hidden && variant.dataset.kind === label;
          variant.hidden = same;
          variant.dataset.kind = label;
          variant.textContent = label + ": " + text;
        },
      }, label);
    }
    return el("li", { class: "exercise" },
      el("div", { class: "name" }, item.name),
      el("div", {}, item.dose + "."),
      el("div", { class: "hint" }, item.cue),
      el("div", { class: "variants" }, show(T.easier, item.easier), show(T.harder, item.harder)),
      variant);
  }

  function todayCard(day) {
    const card = el("section", { class: "card", id: "today" }, el("h2", {}, T.today + " · " + day.label + " · " + day.run));
    if (!day.session) {
      card.append(el("p", { class: "hint" }, T.no_session_today));
    } else {
      const s = day.session;
      card.append(el("div", { class: "name" }, s.heading));
      if (day.status_text) { card.append(el("p", { class: "status", id: "status" }, day.status_text)); }
      card.append(el("ul", {}, ...s.exercises.map(exercise)));
      for (const note of s.notes) { card.append(el("p", { class: "hint" }, note)); }
      card.append(el("p", { class: "hint" }, T.why + " " + day.reason));
      if (!day.status) {
        card.append(el("div", { class: "actions" },
          el("button", { class: "act", id: "done", onclick: () => act({ action: "done", day: day.date }, T.saved_done) }, T.done),
          el("button", { class: "act secondary", id: "skip", onclick: () => act({ action: "skip", day: day.date }, T.saved_skip) }, T.skip)));
      }
    }
    card.append(el("div", { class: "actions" },
      el("button", { class: "act danger", id: "pain", onclick: pain }, T.pain)));
    return card;
  }

  function moves(day) {
    if (!day.session || day.status) { return null; }
    const box = el("div", { class: "moves", hidden: "" });
    if (day.moves.length === 0) {
      box.append(el("p", { class: "hint" }, T.move_nowhere));
    } else {
      box.append(el("span", { class: "hint" }, T.move_to + " "));
      box.append(el("div", { class: "actions" }, ...day.moves.map((m) => el("button", {
        class: "act secondary small move-to",
        "data-from": day.date,
        "data-to": m.date,
        onclick: () => act({ action: "move", day: day.date, to: m.date }, T.saved_move),
      }, m.label))));
    }
    const toggle = el("button", {
      class: "act secondary small move",
      "data-date": day.date,
      onclick: () => { box.hidden = !box.hidden; },
    }, T.move);
    return el("div", {}, toggle, box);
  }

  function weekCard() {
    const list = el("ul", { class: "week", id: "week" });
    for (const day of state.days) {
      const item = el("li", { "data-date": day.date, class: day.today ? "today" : "" }, day.line);
      if (day.status_text) { item.append(" ", el("span", { class: "day-status" }, day.status_text)); }
      const move = day.date >= state.today ? moves(day) : null;
      if (move) { item.append(move); }
      list.append(item);
    }
    return el("section", { class: "card" }, el("h2", {}, T.week), list);
  }

  function render() {
    document.body.dataset.state = "ready";
    const today = state.days.find((d) => d.today);
    app.replaceChildren(
      el("h1", {}, T.title),
      el("p", { class: "header hint" }, state.header),
      el("p", { id: "notice", role: "status" }),
      el("div", { class: "layout" }, today ? todayCard(today) : el("div"), weekCard()));
  }

  async function pain() {
    const result = await act({ action: "pain", day: state.today }, T.pain_sent);
    if (result && tg && tg.close) { tg.close(); }
  }

  async function load() {
    if (!initData) { showError(T.error_auth); return; }
    const result = await call("/week");
    if (result.status === 401) { showError(T.error_auth); return; }
    if (!result.ok) { showError(result.body.error || T.error); return; }
    state = result.body;
    render();
  }

  load();
})();
