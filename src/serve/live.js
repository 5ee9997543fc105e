// shipshape serve: reloads the page once a rebuild that changed it is swapped in, keeps
// the scroll position, and lists the build's errors in an overlay. `SHIPSHAPE_LOADED`
// (prepended by the server) is the status of the generation this page came from.
(function () {
  "use strict";
  var current = SHIPSHAPE_LOADED ? SHIPSHAPE_LOADED.generation : 0;
  var here = sitePath(location.pathname);
  var scrollKey = "shipshape-scroll:" + location.pathname;

  function sitePath(pathname) {
    var parts = pathname.split("/").slice(1).map(function (part) {
      try { return decodeURIComponent(part); } catch (e) { return part; }
    });
    if (parts.length === 0 || parts[parts.length - 1] === "") {
      parts[parts.length ? parts.length - 1 : 0] = "index.html";
    }
    return parts.join("/");
  }

  function restoreScroll() {
    var saved = null;
    try { saved = sessionStorage.getItem(scrollKey); sessionStorage.removeItem(scrollKey); } catch (e) {}
    if (saved) {
      var at = JSON.parse(saved);
      window.scrollTo(at[0], at[1]);
    }
  }
  if (document.readyState === "complete") restoreScroll();
  else window.addEventListener("load", restoreScroll);

  function reload() {
    try { sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY])); } catch (e) {}
    location.reload();
  }

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  var overlay = null;
  var dismissed = "";
  function showProblems(status) {
    var problems = status.errors || [];
    var signature = JSON.stringify([status.fatal, problems]);
    if (overlay) { overlay.remove(); overlay = null; }
    if (!status.fatal && problems.length === 0) { dismissed = ""; return; }
    if (signature === dismissed) return;
    overlay = text("section", "shipshape-overlay");
    overlay.setAttribute("role", "alert");
    overlay.setAttribute("aria-label", "Build errors");
    overlay.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:50vh;overflow:auto;z-index:2147483647;" +
      "background:#fff5f5;color:#4a0d0d;border:2px solid #b42318;border-radius:8px;padding:1rem 1.25rem;" +
      "font:14px/1.45 system-ui,sans-serif;box-shadow:0 8px 30px rgba(0,0,0,.3)";
    var close = text("button", "shipshape-overlay-close", "Hide");
    close.type = "button";
    close.style.cssText = "float:right;font:inherit;padding:.2rem .7rem;cursor:pointer";
    close.addEventListener("click", function () { dismissed = signature; overlay.remove(); overlay = null; });
    overlay.appendChild(close);
    if (status.fatal) {
      overlay.appendChild(text("h2", null, "The handbook could not be built; this is the last good version"));
      overlay.appendChild(text("pre", null, status.fatal)).style.whiteSpace = "pre-wrap";
    } else {
      var count = problems.length;
      overlay.appendChild(text("h2", null, count + (count === 1 ? " error" : " errors") + " in the handbook"));
      var list = document.createElement("ol");
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        var place = problem.file + (problem.line ? ":" + problem.line + (problem.column ? ":" + problem.column : "") : "");
        item.appendChild(text("code", null, place));
        item.appendChild(document.createTextNode(" " + problem.message + " "));
        item.appendChild(text("small", null, "[" + problem.rule + "]"));
        if (problem.help) item.appendChild(text("div", "shipshape-overlay-help", "help: " + problem.help));
        list.appendChild(item);
      });
      overlay.appendChild(list);
    }
    overlay.querySelectorAll("h2").forEach(function (h) { h.style.cssText = "margin:0 0 .5rem;font-size:1.05rem"; });
    document.body.appendChild(overlay);
  }

  if (SHIPSHAPE_LOADED) showProblems(SHIPSHAPE_LOADED);

  var source = new EventSource("/__shipshape/events");
  source.addEventListener("status", function (message) {
    var status = JSON.parse(message.data);
    if (status.generation !== current) {
      var missed = status.previous !== current;
      var mine = status.changed === null || status.changed.indexOf(here) !== -1;
      if (missed || mine) { reload(); return; }
      current = status.generation;
    }
    showProblems(status);
  });
})();
