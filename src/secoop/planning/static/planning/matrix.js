/* Synchronization matrix: reschedule an activity by dragging its bar sideways, or with the
 * keyboard (arrow keys move it a week, Shift+arrow a month, Enter asks the server, Escape puts it
 * back). Nothing moves without a confirmation: the server (planning.actions.reschedule) refuses
 * with the rule and the fix, or shows what would move, and who must approve what the user may not
 * change. Every answer appears next to the activity and is read out from a live region; a move
 * that was made can be undone from the same place (issue 12 item 3). No library but htmx. */
(function () {
  "use strict";
  var DAY = 86400000;
  var root = document.getElementById("mx-root");
  if (!root) return;
  var page = document.getElementById("mx-page");
  var svg = root.querySelector("svg.mx");
  var feedback = document.getElementById("mx-feedback");
  var live = document.getElementById("mx-live");
  var url = root.getAttribute("data-reschedule-url");
  var ppd = parseFloat(svg.getAttribute("data-ppd"));
  var pending = null; // {bar, days}
  var pushed = []; // dependents shown where they would go, while the user confirms
  var asker = null; // the table row whose form asked last

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
  function barOf(id) {
    return id ? svg.querySelector('.mx-bar[data-activity="' + id + '"]') : null;
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
    asker = null;
    var start = addDays(bar.getAttribute("data-start"), days);
    window.htmx.ajax("POST", url, {
      source: root,
      target: "#mx-feedback",
      swap: "innerHTML",
      values: { activity: bar.getAttribute("data-activity"), start: start, confirm: "0", preview: "1" },
    });
  }

  // --- feedback next to the activity, and said in the live region --------------------------------
  function say(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 60);
  }
  function anchorOf(panel) {
    if (asker && document.body.contains(asker)) return asker;
    var bar = (pending && pending.bar) || barOf(panel.getAttribute("data-anchor"));
    if (bar) return bar.querySelector(".mx-bar__body") || bar;
    var row = document.querySelector('tr[data-activity="' + panel.getAttribute("data-anchor") + '"]');
    return row || null;
  }
  function place(panel, anchor) {
    feedback.style.left = "";
    feedback.style.top = "";
    if (!anchor) {
      feedback.classList.remove("is-floating");
      return;
    }
    if (anchor.scrollIntoView && anchor.ownerSVGElement) {
      // the bar may sit outside the drawing's horizontal scroll
      var a0 = anchor.getBoundingClientRect(), r0 = root.getBoundingClientRect();
      if (a0.left < r0.left || a0.right > r0.right) root.scrollLeft += a0.left - r0.left - r0.width / 3;
    }
    feedback.classList.add("is-floating");
    var box = page.getBoundingClientRect();
    var a = anchor.getBoundingClientRect();
    var width = feedback.offsetWidth;
    var left = Math.max(0, Math.min(a.left - box.left, box.width - width));
    feedback.style.left = left + "px";
    feedback.style.top = a.bottom - box.top + 8 + "px";
  }
  function show(focusButton) {
    var panel = feedback.querySelector(".mx-panel");
    if (!panel) return;
    place(panel, anchorOf(panel));
    panel.scrollIntoView({ block: "nearest" });
    // a face the panel is first to use (bold, italic) loads after this and makes it taller:
    // place it again then, so that its last line is not left below the window
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () {
        if (!feedback.contains(panel)) return;
        place(panel, anchorOf(panel));
        panel.scrollIntoView({ block: "nearest" });
      });
    }
    var said = panel.querySelector("[data-say]");
    say((said || panel).textContent.replace(/\s+/g, " ").trim());
    var target = focusButton ? panel.querySelector("form button") : null;
    (target || panel).focus({ preventScroll: true });
  }
  function close() {
    var bar = pending && pending.bar;
    var panel = feedback.querySelector(".mx-panel");
    var anchorBar = bar || (panel && barOf(panel.getAttribute("data-anchor")));
    reset();
    asker = null;
    feedback.innerHTML = "";
    feedback.classList.remove("is-floating");
    if (window.location.search.indexOf("move=") >= 0) window.history.replaceState(null, "", window.location.pathname);
    if (anchorBar) anchorBar.focus();
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
      close();
    }
  });
  feedback.addEventListener("keydown", function (evt) {
    if (evt.key === "Escape") close();
  });

  // --- the server's answer ----------------------------------------------------------------------
  document.body.addEventListener("htmx:beforeRequest", function (evt) {
    var form = evt.detail.elt && evt.detail.elt.closest && evt.detail.elt.closest("form.mx-move");
    if (form) {
      reset();
      asker = form.closest("tr");
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target !== feedback) return;
    var result = feedback.querySelector("[data-result]");
    if (!result) return;
    var kind = result.getAttribute("data-result");
    if (kind === "refused") {
      if (pending) preview(pending.bar, 0);
    }
    if (kind === "confirm") {
      // show the dependents where they would go
      feedback.querySelectorAll("tr[data-move]").forEach(function (row) {
        var bar = barOf(row.getAttribute("data-move"));
        if (!bar || (pending && bar === pending.bar)) return;
        preview(bar, parseInt(row.getAttribute("data-shift"), 10));
        bar.classList.add("mx-pushed");
        pushed.push(bar);
      });
    }
    show(kind === "confirm");
  });
  feedback.addEventListener("click", function (evt) {
    if (evt.target.closest("[data-action='mx-cancel']")) {
      evt.preventDefault();
      close();
    }
  });
  window.addEventListener("resize", function () {
    var panel = feedback.querySelector(".mx-panel");
    if (panel) place(panel, anchorOf(panel));
  });

  // a move recorded (?move=): its panel next to the activity, with its undo or its decision
  if (feedback.querySelector(".mx-panel")) show(false);
})();
