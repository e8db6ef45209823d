// The wan-mock console's script: live parts of the page, and the controls.
// Every element marked data-live="<name>" is refreshed once a second from the same page
// fetched again (only the parts that changed are swapped in, so a playing video is left
// alone); a form marked data-control="<path>" is sent as JSON to POST /__mock/<path>, the
// control plane's own operation. Nothing is loaded from anywhere but this mock.
"use strict";

(function () {
  const REFRESH_MS = 1000;
  let refreshing = false;

  function headers(extra) {
    return Object.assign({ Accept: "text/html" }, extra || {});
  }

  async function refresh() {
    if (refreshing) return;
    refreshing = true;
    try {
      const response = await fetch(location.href, { headers: headers(), cache: "no-store" });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const part of document.querySelectorAll("[data-live]")) {
        const name = part.getAttribute("data-live");
        const next = fresh.querySelector('[data-live="' + name + '"]');
        if (next && next.innerHTML !== part.innerHTML) part.innerHTML = next.innerHTML;
      }
    } catch (error) {
      // the mock may be restarting: try again on the next tick
    } finally {
      refreshing = false;
    }
  }

  function fields(form) {
    const body = {};
    for (const input of form.querySelectorAll("input[name]")) {
      if (input.value === "") continue;
      body[input.name] = input.type === "number" ? Number(input.value) : input.value;
    }
    return body;
  }

  async function control(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) return;
    const result = document.getElementById("control-result");
    const path = form.getAttribute("data-control");
    try {
      const response = await fetch("/__mock/" + path, {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", Accept: "application/json" }),
        body: JSON.stringify(fields(form)),
      });
      const answer = await response.json();
      result.className = "result " + (response.ok ? "ok" : "refused");
      result.textContent = response.ok
        ? path + ": " + JSON.stringify(answer)
        : answer.code + ": " + answer.message;
    } catch (error) {
      result.className = "result refused";
      result.textContent = path + ": " + error;
    }
    await refresh();
  }

  // a filter form leaves out its empty fields ("any"), so the page's URL names only filters
  function filter(event) {
    for (const field of event.currentTarget.querySelectorAll("[name]")) {
      if (field.value === "") field.disabled = true;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    for (const form of document.querySelectorAll("form.filters")) {
      form.addEventListener("submit", filter);
    }
    for (const form of document.querySelectorAll("form[data-control]")) {
      form.addEventListener("submit", control);
    }
    if (document.querySelector("[data-live]")) setInterval(refresh, REFRESH_MS);
  });
})();
