// Add evidence: show only the field of the chosen kind (the file, the link or the note); the others are
// hidden and disabled, so nothing unused is sent. Without this script all three fields show, and the server
// keeps only the chosen kind's.
(function () {
  "use strict";

  var form = document.getElementById("evidence-form");
  if (!form) {
    return;
  }
  var radios = form.querySelectorAll('input[type="radio"][name="kind"]');
  var boxes = form.querySelectorAll("[data-evidence-kind]");

  function chosen() {
    for (var i = 0; i < radios.length; i += 1) {
      if (radios[i].checked) {
        return radios[i].value;
      }
    }
    return null;
  }

  function sync() {
    var kind = chosen();
    boxes.forEach(function (box) {
      var shown = kind === null || box.getAttribute("data-evidence-kind") === kind;
      box.hidden = !shown;
      box.querySelectorAll("input, textarea, select").forEach(function (control) {
        control.disabled = !shown;
      });
    });
  }

  radios.forEach(function (radio) {
    radio.addEventListener("change", sync);
  });
  sync();
})();
