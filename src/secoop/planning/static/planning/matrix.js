/* Synchronization matrix: reschedule an activity by dragging its bar sideways, or with the
 * keyboard (arrow keys move it a week, Shift+arrow a month, Enter asks the server, Escape puts it
 * back). The server decides (planning.actions.reschedule): it refuses with the rule and the fix,
 * or lists the dependents that must move and moves them on confirmation. No library but htmx. */
(function () {
  "use strict";
  var DAY = 86400000;
  var root = document.getElementById("mx-root");
  if (!root) return;
  var svg = root.querySelector("svg.mx");
  var feedback = document.getElementById("mx-feedback");
  var url = root.getAttribute("data-reschedule-url");
  var ppd = parseFloat(svg.getAttribute("data-ppd"));
  var pending = null; // {bar, days}
  var pushed = []; // dependents shown where they would go, while the user confirms

  function addDays(iso, days) {
    return new Date(Date.parse(iso + "T00:00:00Z") + days * DAY).toISOString().slice(0, 10);
  }
  function fmt(iso) {
    return new Date(iso + "T00:00:00Z").toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  }
  function svgX(evt) {
    var pt = svg.createSVGPoint();
    pt.x = evt.clientX;
    pt.y = evt.clientY;
    return pt.matrixTransform(svg.getScreenCTM().inverse()).x;
  }
  function preview(bar, days) {
    bar.setAttribute("transform", days ? "translate(" + (days * ppd).toFixed(1) + ",0)" : "");
    var label = bar.querySelector(".mx-preview");
    if (!days) {
      if (label) label.remove();
      return;
    }
    if (!label) {
      var body = bar.querySelector(".mx-bar__body");
      label = document.createElementNS("http://www.w3.org/2000/svg", "text");
      label.setAttribute("class", "mx-preview");
      label.setAttribute("x", body.getAttribute("x"));
      label.setAttribute("y", String(parseFloat(body.getAttribute("y")) - 4));
      label.setAttribute("stroke", "#ffffff");
      label.setAttribute("stroke-width", "3");
      label.setAttribute("paint-order", "stroke");
      bar.appendChild(label);
    }
    label.textContent = "→ " + fmt(addDays(bar.getAttribute("data-start"), days)) + " (" + (days > 0 ? "+" : "") + days + " d)";
  }
  function reset() {
    if (pending) preview(pending.bar, 0);
    pending = null;
    pushed.forEach(function (bar) { preview(bar, 0); bar.classList.remove("mx-pushed"); });
    pushed = [];
  }
  function ask(bar, days) {
    pending = { bar: bar, days: days };
    var start = addDays(bar.getAttribute("data-start"), days);
    window.htmx.ajax("POST", url, {
      source: root,
      target: "#mx-feedback",
      swap: "innerHTML",
      values: { activity: bar.getAttribute("data-activity"), start: start, confirm: "0" },
    });
  }

  // --- pointer: drag sideways ---------------------------------------------------------------
  var drag = null;
  svg.addEventListener("pointerdown", function (evt) {
    var bar = evt.target.closest && evt.target.closest(".mx-bar[data-movable='1']");
    if (!bar || evt.button !== 0) return;
    if (pending && pending.bar !== bar) reset();
    drag = { bar: bar, x0: svgX(evt), days: 0, base: pending && pending.bar === bar ? pending.days : 0 };
    bar.setPointerCapture(evt.pointerId);
    bar.classList.add("mx-dragging");
    evt.preventDefault();
  });
  svg.addEventListener("pointermove", function (evt) {
    if (!drag) return;
    drag.days = drag.base + Math.round((svgX(evt) - drag.x0) / ppd);
    preview(drag.bar, drag.days);
  });
  function endDrag(evt) {
    if (!drag) return;
    var d = drag;
    drag = null;
    d.bar.classList.remove("mx-dragging");
    if (evt.type === "pointercancel" || d.days === 0) {
      pending = { bar: d.bar, days: d.days };
      reset();
      return;
    }
    ask(d.bar, d.days);
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);

  // --- keyboard -----------------------------------------------------------------------------
  svg.addEventListener("keydown", function (evt) {
    var bar = evt.target.closest && evt.target.closest(".mx-bar[data-movable='1']");
    if (!bar) return;
    var step = evt.shiftKey ? 30 : 7;
    if (evt.key === "ArrowRight" || evt.key === "ArrowLeft") {
      if (pending && pending.bar !== bar) reset();
      var days = (pending ? pending.days : 0) + (evt.key === "ArrowRight" ? step : -step);
      pending = { bar: bar, days: days };
      preview(bar, days);
      evt.preventDefault();
    } else if (evt.key === "Enter" && pending && pending.bar === bar && pending.days) {
      ask(bar, pending.days);
      evt.preventDefault();
    } else if (evt.key === "Escape") {
      reset();
      feedback.innerHTML = "";
    }
  });

  // --- the server's answer ----------------------------------------------------------------------
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target !== feedback) return;
    var result = feedback.querySelector("[data-result]");
    if (result && result.getAttribute("data-result") === "refused") reset();
    if (result && result.getAttribute("data-result") === "confirm") {
      // show the dependents where they would go
      feedback.querySelectorAll("tr[data-move]").forEach(function (row) {
        var bar = svg.querySelector('.mx-bar[data-activity="' + row.getAttribute("data-move") + '"]');
        if (!bar || (pending && bar === pending.bar)) return;
        preview(bar, parseInt(row.getAttribute("data-shift"), 10));
        bar.classList.add("mx-pushed");
        pushed.push(bar);
      });
      var first = feedback.querySelector("button, a");
      if (first) first.focus();
    }
  });
  feedback.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-action='mx-cancel']")) {
      var bar = pending && pending.bar;
      reset();
      feedback.innerHTML = "";
      if (bar) bar.focus();
    }
  });
})();
