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

  setUpThemeToggle();
  setUpMenu();
})();
