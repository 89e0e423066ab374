// Polls the state of a long run (a simulation, an import) and reloads the page when it is over.
// A run without a measurable fraction (progress null) shows a moving bar and its message.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = box.querySelector("progress"), text = document.getElementById("progress-message");
  function poll() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (run) {
        if (run.progress === null || run.progress === undefined) {
          bar.removeAttribute("value");
          text.textContent = run.message || "в очереди";
        } else {
          bar.value = run.progress;
          text.textContent = Math.round(run.progress * 100) + " % — " + (run.message || "в очереди");
        }
        if (run.finished || run.status === "done" || run.status === "failed" || run.status === "interrupted") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
