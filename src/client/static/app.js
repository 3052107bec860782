// SentinelIQ's one script: progressive enhancement only. Every page works without it;
// with it, notifications arrive live (the `websocket notifications` endpoint), the
// unread badge follows, and the notifications page shows new items as they come.
(function () {
  "use strict";
  var body = document.body;
  var path = body.getAttribute("data-live");
  if (!path || !("WebSocket" in window)) return;

  var badge = document.getElementById("unread-count");
  var region = document.getElementById("live-region");
  var list = document.getElementById("notification-list");
  var retry = 1000;

  function setCount(n) {
    if (!badge) return;
    var count = badge.querySelector("[data-count]");
    if (count) count.textContent = String(n);
    badge.hidden = n <= 0;
  }

  function currentCount() {
    var count = badge && badge.querySelector("[data-count]");
    return count ? parseInt(count.textContent, 10) || 0 : 0;
  }

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  function show(n) {
    setCount(typeof n.unread === "number" ? n.unread : currentCount() + 1);
    if (region) region.textContent = "New notification: " + (n.title || "");
    if (!list) return;
    var empty = document.getElementById("no-notifications");
    if (empty) empty.remove();
    var item = document.createElement("li");
    item.className = "unread fresh";
    item.setAttribute("data-id", n.id || "");
    var title = text("strong", "", n.title || "Notification");
    if (n.link && /^\/(?!\/)/.test(n.link)) {
      var a = document.createElement("a");
      a.href = n.link;
      a.appendChild(title);
      item.appendChild(a);
    } else {
      item.appendChild(title);
    }
    if (n.message) item.appendChild(text("div", "", n.message));
    item.appendChild(text("div", "when", "just now"));
    var actions = document.getElementById("notification-actions");
    if (actions && n.id && actions.content) {
      var controls = actions.content.cloneNode(true);
      var ids = controls.querySelectorAll('input[name="id"]');
      for (var i = 0; i < ids.length; i++) ids[i].value = n.id;
      item.appendChild(controls);
    }
    list.insertBefore(item, list.firstChild);
  }

  // A frame is {"id", "channel", "message"}; the message is a notification, or an
  // envelope {"type": "notification", "notification": {...}}.
  function notificationOf(frame) {
    var m = frame && frame.message;
    if (!m || typeof m !== "object") return null;
    if (m.notification && typeof m.notification === "object") return m.notification;
    if (m.type && m.type !== "notification" && !m.title) return null;
    return m.title ? m : null;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + path);
    socket.onopen = function () {
      retry = 1000;
      body.setAttribute("data-live-state", "open");
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (frame && frame.type === "hello" && typeof frame.unread === "number") {
        setCount(frame.unread); // sent straight on connect, outside any channel
        return;
      }
      var m = frame && frame.message;
      if (m && m.type === "unread_count" && typeof m.count === "number") {
        setCount(m.count);
        return;
      }
      var n = notificationOf(frame);
      if (n) show(n);
    };
    socket.onclose = function (event) {
      body.setAttribute("data-live-state", "closed");
      if (event.code === 4401) return; // signed out: nothing to follow
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  connect();
})();
