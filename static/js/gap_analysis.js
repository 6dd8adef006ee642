// Gap analysis: save a verdict in place (no reload), and move between requirements with Alt+Up / Alt+Down.
// Without this script every form posts and the page reloads, as before: the server answers JSON only when
// asked for it (Accept: application/json).
(function () {
  "use strict";

  // The messages, in the reader's language: the page renders them on this script's tag (gap/_macros.html,
  // gap_scripts); English if they are missing.
  var script = document.currentScript;
  var messages = Object.assign(
    {
      saving: "Saving…",
      invalid: "Not saved: see what to correct.",
      notSaved: "Not saved.",
      refused: "Not saved: %(reason)s",
      unknown: "Not saved: please reload the page and try again.",
      offline: "Not saved: the connection failed. Try again.",
      stale:
        "Not saved: someone else saved this verdict while you were editing (it is now “%(label)s”). " +
        "Reload the page to see what is saved now; what you entered is still in the form.",
    },
    script ? pick(script.dataset) : {}
  );

  // The data-msg-* attributes as message names: data-msg-not-saved is notSaved.
  function pick(dataset) {
    var found = {};
    Object.keys(dataset).forEach(function (key) {
      if (key.indexOf("msg") === 0 && key.length > 3) {
        found[key.charAt(3).toLowerCase() + key.slice(4)] = dataset[key];
      }
    });
    return found;
  }

  // A message with its %(name)s placeholders filled in (values as text, never as markup).
  function message(name, values) {
    var text = messages[name];
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(values[key]);
    });
    return text;
  }

  function statusText(form) {
    return form.querySelector(".gap-save-status");
  }

  function clearErrors(form) {
    form.querySelectorAll(".gap-live-error").forEach(function (node) {
      node.remove();
    });
    form.querySelectorAll(".is-invalid[data-gap-live]").forEach(function (control) {
      control.classList.remove("is-invalid");
      control.removeAttribute("data-gap-live");
      control.setAttribute("aria-invalid", "false");
    });
    var stale = form.querySelector(".gap-live-stale");
    if (stale) {
      stale.remove();
    }
  }

  // The same markup as the server's render_field: an .invalid-feedback block beside the field.
  function showError(form, name, message) {
    var control = form.querySelector('[name="' + form.dataset.prefix + "-" + name + '"]');
    var visible = control && control.type !== "hidden" ? control : form.querySelector("select");
    if (!visible) {
      return;
    }
    var box = visible.closest(".gap-justification");
    if (box) {
      box.hidden = false;
    }
    var block = document.createElement("div");
    block.className = "invalid-feedback d-block gap-live-error";
    block.id = visible.id + "-errors";
    var line = document.createElement("div");
    line.textContent = message;
    block.appendChild(line);
    visible.insertAdjacentElement("afterend", block);
    visible.classList.add("is-invalid");
    visible.setAttribute("data-gap-live", "");
    visible.setAttribute("aria-invalid", "true");
    visible.setAttribute("aria-describedby", block.id);
  }

  function showStale(form, answer) {
    var box = document.createElement("div");
    box.className = "alert alert-warning gap-live-stale mt-2";
    box.setAttribute("role", "alert");
    box.textContent = message("stale", { label: answer.status_label });
    form.appendChild(box);
  }

  function badgeOf(form) {
    var holder = form.closest("[data-clause]") || document.getElementById("requirement-status");
    return holder && holder.querySelector(".badge[data-status]");
  }

  // A readiness block (the gap/_macros.html readiness_summary macro) as the save answered it.
  function showReadiness(block, readiness) {
    if (!block || !readiness) {
      return;
    }
    block.dataset.percent = readiness.percent === null ? "" : readiness.percent;
    block.querySelector(".gap-percent").textContent = readiness.percent_text;
    var bar = block.querySelector(".progress");
    bar.setAttribute("aria-valuenow", readiness.percent || 0);
    bar.querySelector(".progress-bar").className = "progress-bar " + readiness.bar;
    Object.keys(readiness.counts).forEach(function (name) {
      var count = block.querySelector('[data-count="' + name + '"]');
      if (count) {
        count.textContent = readiness.counts[name];
      }
    });
  }

  // A section link of the nav at the top (gap/_macros.html section_nav): its percent and open count.
  function showInNav(link, readiness) {
    if (!link || !readiness) {
      return;
    }
    link.querySelector("[data-nav-percent]").textContent = readiness.percent_text;
    link.querySelector("[data-nav-open]").textContent = readiness.open;
  }

  function showSaved(form, answer) {
    form.querySelector('[name="' + form.dataset.prefix + '-version"]').value = answer.version;
    var badge = badgeOf(form);
    if (badge) {
      badge.className = "badge " + answer.badge;
      badge.dataset.status = answer.status;
      badge.textContent = answer.status_label;
    }
    var card = form.closest("[data-clause]");
    if (card) {
      var owner = card.querySelector("[data-gap-owner]");
      var due = card.querySelector("[data-gap-due]");
      if (owner) {
        owner.textContent = answer.owner;
      }
      if (due) {
        due.textContent = answer.due;
      }
    }
    if (answer.readiness) {
      showReadiness(document.getElementById("readiness-overall"), answer.readiness.overall);
      showReadiness(document.getElementById("section-" + answer.section + "-readiness"), answer.readiness.section);
      showInNav(document.getElementById("gap-nav-" + answer.section), answer.readiness.section);
      showInNav(document.getElementById("gap-nav-all"), answer.readiness.overall);
    }
    statusText(form).textContent = answer.message;
  }

  function save(form) {
    var status = statusText(form);
    var button = form.querySelector('button[type="submit"]');
    clearErrors(form);
    status.textContent = message("saving");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(
          function (answer) {
            return { code: response.status, answer: answer };
          },
          function () {
            return { code: response.status, answer: {} };
          }
        );
      })
      .then(function (result) {
        var answer = result.answer;
        if (result.code === 200 && answer.ok) {
          showSaved(form, answer);
        } else if (result.code === 422 && answer.errors) {
          Object.keys(answer.errors).forEach(function (name) {
            showError(form, name, answer.errors[name]);
          });
          status.textContent = message("invalid");
        } else if (result.code === 409 && answer.stale) {
          showStale(form, answer);
          status.textContent = message("notSaved");
        } else if (result.code === 400 && answer.message) {
          status.textContent = answer.message; // an expired page: the message says to reload
        } else {
          status.textContent = answer.message
            ? message("refused", { reason: answer.message })
            : message("unknown");
        }
      })
      .catch(function () {
        status.textContent = message("offline");
      })
      .finally(function () {
        button.disabled = false;
      });
  }

  document.querySelectorAll("form[data-gap-save]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
  });

  // Alt+ArrowDown / Alt+ArrowUp: from inside one requirement to the next / previous one's first control.
  var cards = Array.prototype.slice.call(document.querySelectorAll(".gap-requirement[data-clause]"));
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) {
      return;
    }
    var card = event.target.closest && event.target.closest(".gap-requirement[data-clause]");
    if (!card) {
      return;
    }
    var next = cards[cards.indexOf(card) + (event.key === "ArrowDown" ? 1 : -1)];
    if (!next) {
      return;
    }
    var control = next.querySelector("select") || next.querySelector("a[href]");
    if (control) {
      event.preventDefault();
      control.focus();
      next.scrollIntoView({ block: "nearest" });
    }
  });
})();
