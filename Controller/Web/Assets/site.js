// The pages' one script: live updates over server-sent events, key and power posts without a reload.
"use strict";

function refreshTables() {
  for (const el of document.querySelectorAll("[data-refresh]")) {
    fetch(el.dataset.refresh, { headers: { "X-Requested-With": "fetch" } })
      .then((r) => (r.ok ? r.text() : null))
      .then((html) => { if (html !== null) { el.innerHTML = html; } });
  }
}

function listen(url) {
  const source = new EventSource(url);
  source.addEventListener("log", (e) => {
    const log = document.getElementById("event-log");
    if (log) { log.insertAdjacentHTML("afterbegin", e.data); }
    refreshTables();
  });
  source.addEventListener("screen", (e) => {
    const display = document.getElementById("display");
    if (display) { display.innerHTML = e.data; }
  });
  source.addEventListener("events", (e) => {
    const list = document.getElementById("phone-events");
    if (list) { list.innerHTML = e.data; }
  });
  source.addEventListener("open", () => document.body.classList.add("live"));
}

// Posts go one after another, so fast typing reaches the phone in the order it was typed.
let posts = Promise.resolve();
function postForm(form, submitter) {
  const data = new URLSearchParams(new FormData(form, submitter));
  posts = posts.then(() => fetch(form.action, { method: "POST", body: data, headers: { "X-Requested-With": "fetch" } })).catch(() => {});
  return posts;
}

function phoneKeys(phone) {
  const keypad = document.getElementById("keypad");
  for (const form of phone.querySelectorAll("form")) {
    form.addEventListener("submit", (e) => { e.preventDefault(); postForm(form, e.submitter); });
  }
  // Typing on the page (not in a button) works like the keypad.
  document.addEventListener("keydown", (e) => {
    if (e.target instanceof HTMLButtonElement || e.target instanceof HTMLInputElement || e.altKey || e.ctrlKey || e.metaKey) { return; }
    const name = e.key === "Enter" ? "confirm" : e.key === "Backspace" ? "backspace" : /^[0-9*#]$/.test(e.key) ? e.key : null;
    if (name === null) { return; }
    e.preventDefault();
    const button = keypad.querySelector(`button[value="${CSS.escape(name)}"]`);
    if (button) { postForm(keypad, button); }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.body.dataset.stream) { listen(document.body.dataset.stream); }
  for (const el of document.querySelectorAll("[data-every]")) {
    setInterval(refreshTables, Number(el.dataset.every));
  }
  const phone = document.querySelector("[data-phone]");
  if (phone) { phoneKeys(phone); }
});
