// The workbench's only script: it checks changes as you type and follows a run's progress.
// Every page works without it (forms post, the run page refreshes itself).
"use strict";

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

function element(tag, attrs, text) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}

// --- a scenario's page: the --set lines and the validator's word as you type ----------------

function gutter(textarea, pre, problems) {
  const count = textarea.value.split("\n").length;
  const bad = new Map();
  for (const p of problems) if (p.line) bad.set(p.line, (bad.get(p.line) ? bad.get(p.line) + "; " : "") + p.message);
  pre.replaceChildren();
  for (let n = 1; n <= count; n++) {
    const line = element("span", {"data-line": String(n)}, String(n));
    if (bad.has(n)) { line.classList.add("bad"); line.title = bad.get(n); }
    pre.append(line, "\n");
  }
  pre.scrollTop = textarea.scrollTop;
}

function goToLine(textarea, line) {
  const lines = textarea.value.split("\n");
  const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  textarea.focus();
  textarea.setSelectionRange(start, start + (lines[line - 1] || "").length);
  textarea.scrollTop = Math.max(0, (line - 5) * 18);
}

function showChanges(answer, form) {
  const command = document.getElementById("command");
  command.textContent = answer.lines.join(" \\\n    ");
  const list = document.getElementById("problems");
  list.replaceChildren();
  for (const p of [...answer.problems, ...answer.warnings]) {
    const where = p.line ? `line ${p.line}${p.col ? ":" + p.col : ""}` : p.source;
    const item = element("li", {class: p.severity === "warning" ? "warning" : "error"}, `${where}: ${p.message}`);
    if (p.line) item.dataset.line = String(p.line);
    if (p.line && form.id === "yaml-changes") {
      item.addEventListener("click", () => goToLine(document.getElementById("yaml"), p.line));
    }
    list.append(item);
  }
  document.getElementById("preview").dataset.ok = answer.ok ? "yes" : "no";
  if (form.id === "yaml-changes") {
    gutter(document.getElementById("yaml"), document.getElementById("gutter"), answer.problems);
  }
}

async function check(form) {
  const body = new URLSearchParams(new FormData(form));
  const reply = await fetch(form.dataset.check, {method: "POST", body});
  if (reply.ok) showChanges(await reply.json(), form);
}

function markChanged(form) {
  for (const input of form.querySelectorAll("[data-original]")) {
    const now = input.type === "checkbox" ? String(input.checked) : input.value;
    input.closest("label").classList.toggle("changed", now !== input.dataset.original);
  }
}

function scenarioPage() {
  for (const form of document.querySelectorAll("form.changes")) {
    const later = debounce(() => check(form), 350);
    form.addEventListener("input", () => { markChanged(form); later(); });
    form.addEventListener("change", () => { markChanged(form); later(); });
  }
  const textarea = document.getElementById("yaml");
  const pre = document.getElementById("gutter");
  if (textarea && pre) {
    gutter(textarea, pre, []);
    textarea.addEventListener("scroll", () => { pre.scrollTop = textarea.scrollTop; });
  }
}

// --- a run in progress ---------------------------------------------------------------------

function jobPage(box) {
  const id = box.dataset.job;
  const bar = document.getElementById("job-progress");
  async function poll() {
    let job;
    try {
      const reply = await fetch(`/api/runs/${id}`);
      job = await reply.json();
      if (!reply.ok) throw new Error(job.error);
    } catch (error) {  // the server busy or restarting: look again a little later
      setTimeout(poll, 1000);
      return;
    }
    document.getElementById("job-status").textContent = job.status;
    document.getElementById("job-status").className = `status-${job.status}`;
    document.getElementById("job-stage").textContent = job.status === "running" ? job.stage : "";
    document.getElementById("job-elapsed").textContent = job.elapsed === null ? "" : `${job.elapsed} s`;
    if (job.progress === null) bar.removeAttribute("value"); else bar.value = job.progress;
    if (job.status === "queued" || job.status === "running") setTimeout(poll, 400);
    else location.reload();  // done: the server sends the result; failed, cancelled: the reason
  }
  if (box.dataset.status === "queued" || box.dataset.status === "running") setTimeout(poll, 300);
}

document.addEventListener("DOMContentLoaded", () => {
  if (document.querySelector("form.changes")) scenarioPage();
  const box = document.getElementById("job");
  if (box) jobPage(box);
});
