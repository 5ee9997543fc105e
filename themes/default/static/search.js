/* shipshape's offline search (ADR 0015). The index is a set of scripts under search/,
 * each calling window.shipshapeSearch, loaded with <script> tags so that it works from
 * file:// as from any server: the manifest, then for a query only the shards of its
 * words' first two letters, then the documents of the results shown. Words are split as
 * the build splits them (src/search/index.rs): lowercased, at every character that is
 * not a letter or a digit, two to 32 characters. */
(function () {
  "use strict";

  var VERSION = 1; // the index format this client reads (src/search/mod.rs)
  var SHOWN = 10;
  var SHORTEST = 2;
  var LONGEST = 32;
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;

  var input = document.getElementById("search-input");
  if (!input || !window.Promise) return;
  var box = input.closest(".search");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var message = document.getElementById("search-message");
  var status = document.getElementById("search-status");

  // The site's root, from this script's own address: right at any depth, on the
  // not-found page (whose <base> names it) and from file://.
  var self = document.currentScript && document.currentScript.src;
  var root = (self || "").replace(/static\/search\.js(?:[?#].*)?$/, "");

  var manifest = null;
  var shards = {};
  var docs = {};
  var pending = {};
  var latest = 0;
  var active = -1;

  window.shipshapeSearch = {
    manifest: function (data) { manifest = data; settle("manifest"); },
    terms: function (key, terms) { shards[key] = terms; settle("t:" + key); },
    doc: function (number, doc) { docs[number] = doc; settle("d:" + number); }
  };

  function settle(id) {
    var waiting = pending[id];
    if (waiting) waiting.done();
  }

  // Loads search/<path> once; resolves when it has registered itself, or failed.
  function load(id, path) {
    if (pending[id]) return pending[id].promise;
    var entry = {};
    entry.promise = new Promise(function (resolve) { entry.done = resolve; });
    pending[id] = entry;
    var tag = document.createElement("script");
    tag.src = root + "search/" + path;
    tag.async = true;
    tag.onerror = function () { entry.done(); };
    document.head.appendChild(tag);
    return entry.promise;
  }

  function words(text) {
    var found = text.toLowerCase().match(WORD) || [];
    var seen = {};
    return found.filter(function (word) {
      var length = Array.from(word).length;
      if (length < SHORTEST || length > LONGEST || seen[word]) return false;
      seen[word] = true;
      return true;
    });
  }

  function keyOf(word) { return Array.from(word).slice(0, SHORTEST).join(""); }

  function shardName(key) {
    if (/^[a-z0-9]+$/.test(key)) return key;
    var name = "_";
    new TextEncoder().encode(key).forEach(function (byte) {
      name += (byte < 16 ? "0" : "") + byte.toString(16);
    });
    return name;
  }

  // Each document's best score for `word`: a term equal to it counts in full, a longer
  // term it starts counts a little less.
  function scores(word) {
    var terms = shards[keyOf(word)] || {};
    var best = {};
    Object.keys(terms).forEach(function (term) {
      if (term.lastIndexOf(word, 0) !== 0) return;
      var weight = term === word ? 1 : 0.8;
      var postings = terms[term];
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        var score = postings[i + 1] * weight;
        if (!(best[doc] >= score)) best[doc] = score;
      }
    });
    return best;
  }

  // Documents that have more of the words first, then by score, then in page order.
  function rank(query) {
    var found = {};
    query.forEach(function (word) {
      var best = scores(word);
      Object.keys(best).forEach(function (doc) {
        var entry = found[doc] || (found[doc] = { doc: +doc, words: 0, score: 0 });
        entry.words += 1;
        entry.score += best[doc];
      });
    });
    return Object.keys(found).map(function (doc) { return found[doc]; }).sort(function (a, b) {
      return b.words - a.words || b.score - a.score || a.doc - b.doc;
    });
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function matcher(query) {
    var longest = query.slice().sort(function (a, b) { return b.length - a.length; });
    return new RegExp("(?<![\\p{Alphabetic}\\p{N}])(?:" + longest.map(escapeRegExp).join("|") + ")", "giu");
  }

  // `text` into `parent`, each match in a <mark>; only text nodes, never HTML.
  function highlight(parent, text, pattern) {
    var at = 0;
    pattern.lastIndex = 0;
    var match;
    while ((match = pattern.exec(text))) {
      if (!match[0].length) { pattern.lastIndex += 1; continue; }
      parent.appendChild(document.createTextNode(text.slice(at, match.index)));
      var mark = document.createElement("mark");
      mark.textContent = match[0];
      parent.appendChild(mark);
      at = match.index + match[0].length;
    }
    parent.appendChild(document.createTextNode(text.slice(at)));
  }

  function count(text, pattern) {
    pattern.lastIndex = 0;
    var found = text.match(pattern);
    return found ? found.length : 0;
  }

  // The section to show: the one whose heading, then text, has the most matches.
  function bestSection(doc, pattern) {
    var best = null, bestScore = 0;
    doc.s.forEach(function (section) {
      var score = count(section.h, pattern) * 5 + count(section.x, pattern);
      if (score > bestScore) { best = section; bestScore = score; }
    });
    return best;
  }

  function snippet(text, pattern) {
    pattern.lastIndex = 0;
    var match = pattern.exec(text);
    var start = match ? Math.max(0, match.index - 60) : 0;
    if (start > 0) {
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < (match ? match.index : start + 20)) start = space + 1;
    }
    var end = Math.min(text.length, start + 180);
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  function pageUrl(doc, section) {
    var url = root + doc.u.split("/").map(encodeURIComponent).join("/");
    return section && section.a ? url + "#" + encodeURIComponent(section.a) : url;
  }

  function item(number, doc, pattern, index) {
    var section = bestSection(doc, pattern);
    // A title match opens the page at its top, unless the section's heading matches too.
    var inTitle = count(doc.t, pattern) > 0;
    var at = section && section.h && (!inTitle || count(section.h, pattern) > 0) ? section : null;
    // The option is the link itself: a link inside an option would be a control
    // inside a control, which screen readers cannot reach as one.
    var link = document.createElement("a");
    link.className = "search-result";
    link.id = "search-result-" + index;
    link.setAttribute("role", "option");
    link.setAttribute("aria-selected", "false");
    link.href = pageUrl(doc, at);
    link.tabIndex = -1;
    var title = document.createElement("span");
    title.className = "search-title";
    highlight(title, doc.t, pattern);
    link.appendChild(title);
    if (doc.k) {
      var kind = document.createElement("span");
      kind.className = "search-kind";
      kind.textContent = doc.k;
      link.appendChild(kind);
    }
    if (at) {
      var heading = document.createElement("span");
      heading.className = "search-heading";
      highlight(heading, at.h, pattern);
      link.appendChild(heading);
    }
    var text = doc.m && count(doc.m, pattern) ? doc.m : section ? section.x : doc.s.length ? doc.s[0].x : doc.m;
    if (text) {
      var shown = document.createElement("span");
      shown.className = "search-snippet";
      highlight(shown, snippet(text, pattern), pattern);
      link.appendChild(shown);
    }
    link.addEventListener("mousedown", function (event) { event.preventDefault(); });
    return link;
  }

  function open(shown) {
    panel.hidden = !shown;
    input.setAttribute("aria-expanded", shown && list.children.length ? "true" : "false");
    if (!shown) select(-1);
  }

  function select(index) {
    var items = list.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = index;
    if (index >= 0 && items[index]) {
      items[index].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[index].id);
      items[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function say(text, shown) {
    message.textContent = text;
    message.hidden = !shown;
    status.textContent = text;
  }

  function run() {
    var text = input.value.trim();
    var query = words(text);
    var ticket = ++latest;
    if (!text) {
      list.textContent = "";
      say("", false);
      open(false);
      return;
    }
    if (!query.length) {
      list.textContent = "";
      say("Type two or more letters to search.", true);
      open(true);
      return;
    }
    load("manifest", "manifest.js").then(function () {
      if (!manifest || manifest.v !== VERSION) throw new Error("no index this client reads");
      var keys = {};
      query.forEach(function (word) { keys[keyOf(word)] = true; });
      return Promise.all(Object.keys(keys).filter(function (key) {
        return manifest.shards.indexOf(key) >= 0;
      }).map(function (key) { return load("t:" + key, "t/" + shardName(key) + ".js"); }));
    }).then(function () {
      if (ticket !== latest) return;
      var ranked = rank(query);
      var top = ranked.slice(0, SHOWN);
      return Promise.all(top.map(function (hit) {
        return load("d:" + hit.doc, "d/" + hit.doc + ".js");
      })).then(function () {
        if (ticket !== latest) return;
        show(text, query, ranked, top);
      });
    }).catch(function () {
      if (ticket !== latest) return;
      list.textContent = "";
      say("The search index could not be loaded.", true);
      open(true);
    });
  }

  function show(text, query, ranked, top) {
    var pattern = matcher(query);
    list.textContent = "";
    top.forEach(function (hit, index) {
      var doc = docs[hit.doc];
      if (doc) list.appendChild(item(hit.doc, doc, pattern, index));
    });
    var quoted = "“" + text + "”";
    if (!ranked.length) {
      say("No results for " + quoted + ". " + (query.length > 1
        ? "Try fewer words, or other ones: each word matches the start of a word on a page."
        : "Check the spelling, or try another word: search matches the start of words."), true);
    } else {
      var all = ranked[0].words === query.length;
      var total = ranked.length + (ranked.length === 1 ? " result" : " results");
      var note = all ? "" : " No page has every word; these have some of them.";
      say(total + " for " + quoted + (ranked.length > SHOWN ? ", the first " + SHOWN + " shown." : ".") + note,
        !all || ranked.length > SHOWN);
    }
    open(true);
    active = -1;
    input.removeAttribute("aria-activedescendant");
  }

  function follow(index) {
    var chosen = list.children[index];
    if (chosen && chosen.href) window.location.href = chosen.href;
  }

  input.addEventListener("input", run);
  input.addEventListener("focus", function () {
    load("manifest", "manifest.js");
    if (input.value.trim()) open(true);
  });
  input.addEventListener("keydown", function (event) {
    var items = list.children.length;
    if (event.key === "ArrowDown" && items) {
      event.preventDefault();
      if (panel.hidden) open(true);
      select(active + 1 < items ? active + 1 : 0);
    } else if (event.key === "ArrowUp" && items) {
      event.preventDefault();
      select(active > 0 ? active - 1 : items - 1);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (items) follow(active >= 0 ? active : 0);
    } else if (event.key === "Escape") {
      event.preventDefault();
      if (!panel.hidden) {
        open(false);
      } else {
        input.value = "";
        run();
        input.blur();
      }
    }
  });
  box.addEventListener("focusout", function (event) {
    if (!box.contains(event.relatedTarget)) open(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
