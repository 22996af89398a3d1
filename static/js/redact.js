/* 打码: draw boxes over a photo before it is published. Each box is kept as [x, y, width, height],
   fractions of the photo as shown, in the hidden input the stage names; the server pixelates them.
   Click a box to remove it. Works with mouse, pen and touch (pointer events). */
(function () {
  "use strict";
  var stage = document.querySelector("[data-redact]");
  if (!stage) return;
  var img = stage.querySelector("img");
  var input = document.getElementById(stage.dataset.redact);
  var counter = document.getElementById(stage.dataset.redactCount);
  var max = parseInt(stage.dataset.max || "30", 10);
  var boxes = [];
  try { boxes = JSON.parse(input.value || "[]") || []; } catch (e) { boxes = []; }
  var start = null, drawing = null;

  function clamp(v) { return Math.min(1, Math.max(0, v)); }
  function at(ev) {
    var r = img.getBoundingClientRect();
    return [clamp((ev.clientX - r.left) / r.width), clamp((ev.clientY - r.top) / r.height)];
  }
  function rect(a, b) {
    return [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.abs(a[0] - b[0]), Math.abs(a[1] - b[1])];
  }
  function place(el, b) {
    el.style.left = (b[0] * 100) + "%"; el.style.top = (b[1] * 100) + "%";
    el.style.width = (b[2] * 100) + "%"; el.style.height = (b[3] * 100) + "%";
  }
  function round(v) { return Math.floor(v * 10000) / 10000; }
  function sync() {
    input.value = JSON.stringify(boxes);
    if (counter) counter.textContent = String(boxes.length);
    stage.querySelectorAll(".redact-box:not(.drawing)").forEach(function (el) { el.remove(); });
    boxes.forEach(function (b, i) {
      var el = document.createElement("button");
      el.type = "button"; el.className = "redact-box";
      el.title = stage.dataset.removeLabel || "取消这一处打码"; el.setAttribute("aria-label", el.title);
      place(el, b);
      el.addEventListener("click", function (ev) { ev.preventDefault(); boxes.splice(i, 1); sync(); });
      stage.appendChild(el);
    });
  }
  stage.addEventListener("pointerdown", function (ev) {
    if (ev.target.classList.contains("redact-box") || boxes.length >= max) return;
    ev.preventDefault();
    start = at(ev);
    drawing = document.createElement("div");
    drawing.className = "redact-box drawing";
    place(drawing, [start[0], start[1], 0, 0]);
    stage.appendChild(drawing);
    stage.setPointerCapture(ev.pointerId);
  });
  stage.addEventListener("pointermove", function (ev) {
    if (drawing) place(drawing, rect(start, at(ev)));
  });
  function finish(ev) {
    if (!drawing) return;
    var b = rect(start, at(ev)).map(round);
    drawing.remove(); drawing = null; start = null;
    if (b[2] >= 0.01 && b[3] >= 0.01) boxes.push(b);  /* a click, not a drag, draws nothing */
    sync();
  }
  stage.addEventListener("pointerup", finish);
  stage.addEventListener("pointercancel", function () { if (drawing) { drawing.remove(); drawing = null; } });
  sync();
})();
