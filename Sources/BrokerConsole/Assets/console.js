// gridbroker console: follows a job's logs, keeps its page current, and reads an uploaded job spec. No inline scripts:
// the pages' Content-Security-Policy allows only this file.
"use strict";

// Follows the job's log stream (text/event-stream) with the session cookie, appending each line.
function followLogs(pre) {
  const status = document.getElementById("logs-status");
  const say = (text) => { if (status) status.textContent = text; };
  const show = (event) => {
    if (event.type === "end") { say("The job ended; its output is complete."); return; }
    if (event.type !== "line" || !event.data) return;
    const line = JSON.parse(event.data);
    pre.append(`${line.at} [${line.rank}] ${line.text}\n`);
    pre.scrollTop = pre.scrollHeight;
    say("Following the job's output.");
  };
  fetch(pre.dataset.follow, { credentials: "same-origin", headers: { Accept: "text/event-stream" } })
    .then(async (response) => {
      if (!response.ok || !response.body) { say(`The logs are not available (HTTP ${response.status}).`); return; }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          show(parseEvent(buffer.slice(0, cut)));
          buffer = buffer.slice(cut + 2);
        }
      }
    })
    .catch(() => say("The log stream stopped; reload the page to follow it again."));
}

// One server-sent event: its type and data (comments, such as keep-alives, have neither).
function parseEvent(block) {
  const event = { type: "message", data: "" };
  for (const line of block.split("\n")) {
    if (line.startsWith("event: ")) event.type = line.slice(7);
    else if (line.startsWith("data: ")) event.data += line.slice(6);
  }
  return event;
}

// Refreshes the job's summary (state, spend, shards), nodes and timeline every few seconds
// while it has not ended, from the page itself.
function refreshJob(section) {
  const ended = (state) => ["succeeded", "failed", "cancelled"].includes(state);
  if (ended(section.dataset.state)) return;
  const timer = setInterval(async () => {
    const response = await fetch(location.href, { credentials: "same-origin" }).catch(() => null);
    if (!response || !response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["job", "nodes", "timeline"]) {
      const fresh = page.getElementById(id);
      const current = document.getElementById(id);
      if (fresh && current) current.replaceWith(fresh);
    }
    const job = page.getElementById("job");
    if (!job || ended(job.dataset.state)) clearInterval(timer);
  }, 5000);
}

// Puts the chosen file's text in the spec box.
function readSpecFile(input) {
  const target = document.getElementById("spec");
  const file = input.files && input.files[0];
  if (!target || !file) return;
  file.text().then((text) => { target.value = text; });
}

document.addEventListener("DOMContentLoaded", () => {
  const logs = document.getElementById("logs");
  if (logs && logs.dataset.follow) followLogs(logs);
  const job = document.getElementById("job");
  if (job) refreshJob(job);
  const upload = document.getElementById("spec-file");
  if (upload) upload.addEventListener("change", () => readSpecFile(upload));
});
