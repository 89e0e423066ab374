// Polls a simulation's state from the API and reloads the page when the report is ready.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = box.querySelector("progress"), text = document.getElementById("progress-message");
  function poll() {
    fetch(box.dataset.url, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (run) {
        bar.value = run.progress;
        text.textContent = Math.round(run.progress * 100) + " % — " + (run.message || "в очереди");
        if (run.status === "done" || run.status === "failed" || run.status === "interrupted") {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
