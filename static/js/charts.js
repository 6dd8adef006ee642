// Charts: draw every element carrying a data-figure attribute (Plotly figure JSON built on the server by
// app/charts.py). One static script and no inline code, so the Content-Security-Policy stays strict.
// Without this script or plotly.js the page still works: every chart has a table of its numbers.
(function () {
  "use strict";

  // Static charts: hover (or tap) shows a value; no tool bar of buttons inside what is announced as an image.
  var CONFIG = { responsive: true, displayModeBar: false };

  function draw(element) {
    var figure;
    try {
      figure = JSON.parse(element.getAttribute("data-figure"));
    } catch (error) {
      return;
    }
    var fallback = element.textContent;
    element.textContent = "";
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, CONFIG).then(
      function () {
        element.setAttribute("data-drawn", "true");
      },
      function () {
        element.textContent = fallback;
      }
    );
  }

  // The reader's language (a <meta> from templates/charts/_macros.html): month and day names, number signs.
  function useLocale() {
    var meta = document.querySelector('meta[name="plotly-locale"]');
    if (!meta) return;
    try {
      var locale = JSON.parse(meta.getAttribute("content"));
      window.Plotly.register({ moduleType: "locale", name: locale.name, dictionary: {}, format: locale.format });
      CONFIG.locale = locale.name;
    } catch (error) {
      // plotly's English, rather than no chart
    }
  }

  if (window.Plotly) {
    useLocale();
    document.querySelectorAll("[data-figure]").forEach(draw);
  }

  // A closed <details> does not print: open the tables of numbers for printing, then close them again.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.chart-table:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });
})();
