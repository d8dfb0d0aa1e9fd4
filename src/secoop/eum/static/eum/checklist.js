/* The inventory checklist: a typed or scanned serial is checked against the expected list and
   counts only once the user confirms it (DODIG-2024-043: handheld scans were sometimes wrong).
   The camera reader (html5-qrcode, served by the app) is offered when the library is present;
   typed entry always works. */
(function () {
  "use strict";
  var box = document.getElementById("expected-serials");
  var entry = document.getElementById("scan-entry");
  if (!box || !entry) { return; }
  var expected = box.getAttribute("data-expected").split(" ");
  var feedback = document.getElementById("scan-feedback");
  var confirmBox = document.getElementById("scan-confirm");
  var pending = null;

  function say(text, ok) {
    feedback.textContent = text;
    feedback.className = "margin-top-1 " + (ok ? "secoop-scan--ok" : "secoop-scan--bad");
  }

  function offer(raw) {
    var serial = (raw || "").trim().toUpperCase();
    if (!serial) { return; }
    if (expected.indexOf(serial) < 0) {
      pending = null;
      confirmBox.hidden = true;
      say(serial + " is not on this article's expected list: it is not counted. Check the plate and report it to the SCO.", false);
      return;
    }
    pending = serial;
    confirmBox.hidden = false;
    say("Read " + serial + ". Confirm it matches the plate to count it.", true);
    document.getElementById("scan-yes").focus();
  }

  entry.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      offer(entry.value);
    }
  });
  document.getElementById("scan-yes").addEventListener("click", function () {
    if (!pending) { return; }
    var boxes = box.querySelectorAll("input[name=present]");
    for (var i = 0; i < boxes.length; i++) {
      if (boxes[i].value === pending) { boxes[i].checked = true; }
    }
    say(pending + " counted.", true);
    pending = null;
    confirmBox.hidden = true;
    entry.value = "";
    entry.focus();
  });
  document.getElementById("scan-no").addEventListener("click", function () {
    pending = null;
    confirmBox.hidden = true;
    say("Discarded.", false);
    entry.focus();
  });

  var camera = document.getElementById("scan-camera");
  if (window.Html5QrcodeScanner && camera) {
    camera.hidden = false;
    camera.addEventListener("click", function () {
      camera.hidden = true;
      var scanner = new window.Html5QrcodeScanner("scan-reader", { fps: 10, qrbox: 250 }, false);
      scanner.render(function (text) { offer(text); }, function () {});
    });
  }
})();
