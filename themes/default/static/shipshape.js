// shipshape default theme: the light/dark toggle and the phone navigation drawer.
// The page works without scripts: the theme then follows the OS, and on a phone the
// navigation stays above the content (if this file fails to load, its <script> tag's
// onerror removes html.js, which brings that layout back).
(function () {
  "use strict";
  var root = document.documentElement;

  // ------------------------------------------------------------ theme toggle

  var darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

  function currentTheme() {
    var pinned = root.getAttribute("data-theme");
    if (pinned === "light" || pinned === "dark") return pinned;
    return darkQuery.matches ? "dark" : "light";
  }

  function labelToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;
    var other = currentTheme() === "dark" ? "light" : "dark";
    var label = "Switch to the " + other + " theme";
    button.setAttribute("aria-label", label);
    button.setAttribute("title", label);
  }

  // The pre-paint script in base.html reads and pins the stored theme; without it (a theme
  // that replaced base.html), there is no toggle.
  function setUpThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    var theme = window.shipshapeTheme;
    if (!button || !theme) return;
    labelToggle();
    button.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      theme.pin(next);
      labelToggle();
      try {
        localStorage.setItem(theme.key, next);
      } catch (e) {
        // Private browsing may refuse storage: the choice then lasts for this page only.
      }
    });
    // Until the reader chooses, follow the OS when it changes.
    darkQuery.addEventListener("change", labelToggle);
  }

  // ------------------------------------------------------ navigation drawer

  function setUpMenu() {
    var button = document.querySelector(".menu-button");
    var sidebar = document.getElementById("sidebar");
    if (!button || !sidebar) return;

    function isOpen() {
      return root.classList.contains("nav-open");
    }

    // While the drawer is open, the page behind it can be neither clicked nor tabbed to.
    var behind = document.querySelectorAll(".main, .toc, .footer");

    function setOpen(open) {
      root.classList.toggle("nav-open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.setAttribute("aria-label", open ? "Hide the navigation" : "Show the navigation");
      behind.forEach(function (element) {
        element.inert = open;
      });
      if (open) {
        var current = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
        if (current) current.focus();
      }
    }

    button.addEventListener("click", function () {
      setOpen(!isOpen());
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && isOpen()) {
        setOpen(false);
        button.focus();
      }
    });
    // A tap outside the drawer closes it and gives the focus back to the menu button; a
    // link in it closes it on the way to its target.
    document.addEventListener("click", function (event) {
      if (!isOpen() || event.target.closest(".menu-button")) return;
      if (event.target.closest("#sidebar a")) {
        setOpen(false);
      } else if (!sidebar.contains(event.target)) {
        setOpen(false);
        button.focus();
      }
    });
    // Growing the window past the phone layout leaves no drawer state behind.
    window.matchMedia("(min-width: 800px)").addEventListener("change", function (event) {
      if (event.matches) setOpen(false);
    });
  }

  // ------------------------------------------------------ code blocks

  // Puts `text` on the clipboard; `navigator.clipboard` needs a secure context, so a
  // selected textarea is the way from older browsers and some file:// pages.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (e) {}
      document.body.removeChild(area);
      if (copied) resolve();
      else reject(new Error("copy refused"));
    });
  }

  function toolButton(label, title) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-label", title);
    button.title = title;
    return button;
  }

  function setUpCodeBlocks() {
    document.querySelectorAll(".code-block").forEach(function (block) {
      var code = block.querySelector("code");
      if (!code) return;
      var tools = document.createElement("div");
      tools.className = "code-tools";
      if (block.querySelector(".boring")) {
        var reveal = toolButton("Show all", "Show the hidden lines");
        reveal.setAttribute("aria-pressed", "false");
        reveal.addEventListener("click", function () {
          var shown = block.classList.toggle("show-hidden");
          reveal.setAttribute("aria-pressed", shown ? "true" : "false");
          reveal.textContent = shown ? "Hide" : "Show all";
          reveal.title = shown ? "Hide the hidden lines" : "Show the hidden lines";
          reveal.setAttribute("aria-label", reveal.title);
        });
        tools.appendChild(reveal);
      }
      var copy = toolButton("Copy", "Copy the code");
      var timer = null;
      copy.addEventListener("click", function () {
        // What the reader sees: hidden lines only when they are shown.
        copyText(code.innerText.replace(/\n$/, "")).then(
          function () {
            copy.textContent = "Copied";
          },
          function () {
            copy.textContent = "Press Ctrl+C";
            var range = document.createRange();
            range.selectNodeContents(code);
            var selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
          }
        );
        copy.classList.add("done");
        clearTimeout(timer);
        timer = setTimeout(function () {
          copy.textContent = "Copy";
          copy.classList.remove("done");
        }, 1500);
      });
      tools.appendChild(copy);
      block.appendChild(tools);
    });
  }

  setUpThemeToggle();
  setUpMenu();
  setUpCodeBlocks();
})();

// The ADR index's status filter: shown only where scripts run; rows keep their
// `data-status`, so without scripts every decision is listed.
(function () {
  var filter = document.querySelector(".adr-index .status-filter");
  if (!filter) return;
  filter.hidden = false;
  var rows = document.querySelectorAll(".adr-index tbody tr");
  filter.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-status]");
    if (!button) return;
    var wanted = button.getAttribute("data-status");
    filter.querySelectorAll("button").forEach(function (other) {
      other.setAttribute("aria-pressed", other === button ? "true" : "false");
    });
    rows.forEach(function (row) {
      row.hidden = wanted !== "all" && row.getAttribute("data-status") !== wanted;
    });
  });
})();

// The services dashboard: filters by owner, tier and level, and sorting by the header
// buttons. Both are shown only where scripts run; without them every row stays listed.
(function () {
  var grid = document.querySelector(".dashboard-grid");
  var controls = document.querySelector(".dashboard-controls");
  if (!grid || !controls) return;
  controls.hidden = false;
  var body = grid.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = controls.querySelector(".dashboard-count");
  var numeric = { tier: true, level: true, score: true };
  var ranks = { none: 0, bronze: 1, silver: 2, gold: 3 };
  function value(row, key) {
    var text = row.getAttribute("data-" + key);
    return key === "level" ? ranks[text] : text;
  }
  function filter() {
    var wanted = {
      owner: controls.elements.owner.value,
      tier: controls.elements.tier.value,
      level: controls.elements.level.value
    };
    var shown = 0;
    rows.forEach(function (row) {
      var keep = Object.keys(wanted).every(function (key) {
        return wanted[key] === "" || row.getAttribute("data-" + key) === wanted[key];
      });
      row.hidden = !keep;
      if (keep) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " services shown";
  }
  function sort(key, descending) {
    var sorted = rows.slice().sort(function (a, b) {
      var x = value(a, key), y = value(b, key), order;
      if (numeric[key]) order = Number(x) - Number(y);
      else order = x < y ? -1 : x > y ? 1 : 0;
      if (descending) order = -order;
      if (order !== 0) return order;
      var p = a.getAttribute("data-service"), q = b.getAttribute("data-service");
      return p < q ? -1 : p > q ? 1 : 0;
    });
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (row) { fragment.appendChild(row); });
    body.appendChild(fragment);
    rows = sorted;
  }
  controls.addEventListener("change", filter);
  controls.addEventListener("submit", function (event) { event.preventDefault(); });
  grid.querySelector("thead").addEventListener("click", function (event) {
    var button = event.target.closest("button[data-sort]");
    if (!button) return;
    var th = button.parentNode;
    var descending = th.getAttribute("aria-sort") === "ascending";
    grid.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    sort(button.getAttribute("data-sort"), descending);
  });
  filter();
})();
