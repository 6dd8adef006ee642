// Gap analysis: show a row's justification only while "Not applicable" is chosen, or when it already has
// text or an error. The pages work without this script: the field is then always shown.
(function () {
  "use strict";

  function sync(select) {
    var box = select.form && select.form.querySelector(".gap-justification");
    if (!box) {
      return;
    }
    var text = box.querySelector("textarea");
    var keep = (text && text.value.trim() !== "") || box.querySelector(".invalid-feedback");
    box.hidden = select.value !== "not_applicable" && !keep;
  }

  document.querySelectorAll("select[data-gap-status]").forEach(function (select) {
    sync(select);
    select.addEventListener("change", function () {
      sync(select);
    });
  });

  // Hiding fields moved the rows: bring the row named in the address (the one just saved) back into view.
  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target) {
    target.scrollIntoView();
  }
})();
