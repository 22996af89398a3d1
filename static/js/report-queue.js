/* The grid worker's report form, working without a network (离线暂存).
   Each report gets its own reference (client_ref) when it is written; sending it twice files it once.
   Online: the form is sent in the background; the answer opens the new event. Invalid: the form is sent
   the ordinary way so the server shows which field is wrong. No network: the report (fields and photos)
   is kept in this browser's IndexedDB, per signed-in user, and sent in order when the network returns or
   the page is opened again; what was sent, and what the server refused and why, is listed on the page. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.indexedDB || !window.fetch || !window.FormData) return;
  var user = form.getAttribute("data-user");
  var T = JSON.parse(document.getElementById("queue-text").textContent);
  var list = document.getElementById("queue");
  var DB = "openenforce-report-queue", STORE = "reports";
  var sending = false;

  function newRef() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 3 | 8)).toString(16);
    });
  }
  function localIso(d) {
    var off = -d.getTimezoneOffset(), sign = off >= 0 ? "+" : "-", pad = function (n) { return (n < 10 ? "0" : "") + n; };
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" +
      pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "ref" }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(STORE, mode), req = work(t.objectStore(STORE));
        t.oncomplete = function () { resolve(req ? req.result : undefined); };
        t.onerror = function () { reject(t.error); };
      });
    });
  }
  function mine() {
    return run("readonly", function (s) { return s.getAll(); }).then(function (rows) {
      return rows.filter(function (r) { return r.user === user; })
        .sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }
  function snapshot() {
    var entry = { ref: form.elements.client_ref.value, user: user, savedAt: localIso(new Date()), fields: [], files: [] };
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") return;
      if (value instanceof Blob) { if (value.size) entry.files.push({ name: name, file: value, filename: value.name }); }
      else entry.fields.push([name, value]);
    });
    return entry;
  }
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : form.elements.csrfmiddlewaretoken.value;
  }
  function send(entry) {
    var body = new FormData();
    entry.fields.forEach(function (f) { body.append(f[0], f[1]); });
    entry.files.forEach(function (f) { body.append(f.name, f.file, f.filename); });
    body.append("csrfmiddlewaretoken", csrf());
    return fetch(form.action || window.location.pathname, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf() }
    }).then(function (resp) {
      var json = (resp.headers.get("Content-Type") || "").indexOf("application/json") === 0;
      if (resp.redirected || resp.status === 403) return { outcome: "later", why: T.signin };  // signed out: keep it
      if (json && (resp.status === 200 || resp.status === 201)) return resp.json().then(function (j) { j.outcome = "sent"; return j; });
      if (json && resp.status === 422) return resp.json().then(function (j) { j.outcome = "invalid"; return j; });
      return { outcome: "later", why: T.server.replace("%s", resp.status) };  // the server failed: keep it
    });
  }
  function errorsText(errors) {
    return Object.keys(errors || {}).map(function (k) { return (k === "__all__" ? "" : k + "：") + errors[k].join("，"); }).join("；");
  }
  function render(extra) {
    return mine().then(function (rows) {
      list.innerHTML = "";
      (extra || []).forEach(function (node) { list.appendChild(node); });
      if (!rows.length) return;
      var head = document.createElement("p");
      head.innerHTML = "<b>" + T.kept.replace("%s", rows.length) + "</b>" + (navigator.onLine ? "" : " " + T.offline);
      list.appendChild(head);
      rows.forEach(function (r) {
        var p = document.createElement("p"), text = "";
        r.fields.forEach(function (f) { if (f[0] === "text") text = f[1]; });
        p.textContent = r.savedAt.replace("T", " ").slice(0, 16) + " · " + text.slice(0, 40) + " · " +
          T.photos.replace("%s", r.files.length) + (r.error ? " · " + T.refused + r.error : "");
        if (r.error) {
          var del = document.createElement("button");
          del.type = "button"; del.className = "secondary"; del.textContent = T.drop;
          del.onclick = function () {
            if (window.confirm(T.confirmDrop)) run("readwrite", function (s) { return s.delete(r.ref); }).then(function () { render(); });
          };
          p.appendChild(document.createTextNode(" ")); p.appendChild(del);
        }
        list.appendChild(p);
      });
    });
  }
  function flush() {
    if (sending) return Promise.resolve();
    sending = true;
    var done = [];
    return mine().then(function (rows) {
      var pending = rows.filter(function (r) { return !r.error; });
      return pending.reduce(function (chain, entry) {
        return chain.then(function (go) {
          if (!go) return false;
          return send(entry).then(function (res) {
            if (res.outcome === "sent") {
              var a = document.createElement("p"), link = document.createElement("a");
              link.href = res.url; link.textContent = res.notice;  // names the ticket
              a.appendChild(document.createTextNode(T.sent + "：")); a.appendChild(link);
              done.push(a);
              return run("readwrite", function (s) { return s.delete(entry.ref); }).then(function () { return true; });
            }
            if (res.outcome === "invalid") {
              entry.error = errorsText(res.errors);
              return run("readwrite", function (s) { return s.put(entry); }).then(function () { return true; });
            }
            if (res.why) done.push(document.createTextNode(res.why));
            return false;
          }, function () { return false; });  // no network: try again later
        });
      }, Promise.resolve(true));
    }).then(function () { sending = false; return render(done); }, function () { sending = false; });
  }

  if (!form.elements.client_ref.value) form.elements.client_ref.value = newRef();
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!form.elements.observed_at.value) form.elements.observed_at.value = localIso(new Date());
    var entry = snapshot();
    send(entry).then(function (res) {
      if (res.outcome === "sent") { window.location.href = res.url; return; }
      if (res.outcome === "invalid") { HTMLFormElement.prototype.submit.call(form); return; }  // the server shows why
      keep(entry, res.why);
    }, function () { keep(entry, T.saved); });  // no network
  });
  function keep(entry, why) {  // on this device until it can be sent; the form is ready for the next report
    run("readwrite", function (s) { return s.put(entry); }).then(function () {
      form.reset();
      form.elements.client_ref.value = newRef();
      form.elements.observed_at.value = "";
      var gps = document.getElementById("gps-btn");
      if (gps) gps.click();  // the next report gets its own position
      return render([document.createTextNode(why)]);
    });
  }
  window.addEventListener("online", flush);
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(form.getAttribute("data-sw"), { scope: window.location.pathname }).catch(function () {});
  flush();
})();
