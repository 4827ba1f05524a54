// Editor's notes (`??? note "编者注：…"`) start closed; a button before the first opens or closes them all, and
// the site remembers the choice (localStorage). A link into a closed note opens it.
(function () {
  var KEY = "editor-notes-open";
  var en = /^en/.test(document.documentElement.lang);
  var notes = [].filter.call(document.querySelectorAll("details.note"), function (d) {
    var s = d.querySelector("summary");
    return s && /^\s*(编者注：|Editor['’]s note: )/.test(s.textContent);
  });
  if (!notes.length) return;
  var labels = en ? ["Open all editor's notes", "Close all editor's notes"] : ["展开全部编者注", "收起全部编者注"];
  // The build writes the button into the page before the first note (tools/site/mkdocs_hooks.py), so that nothing moves
  // when this script runs; a page built without it gets one here.
  var p = document.querySelector("p.editor-notes-control");
  var button = p && p.querySelector("button.editor-notes-toggle");
  if (!button) {
    button = document.createElement("button");
    button.type = "button";
    button.className = "editor-notes-toggle";
    p = document.createElement("p");
    p.className = "editor-notes-control";
    p.appendChild(button);
    notes[0].parentNode.insertBefore(p, notes[0]);
  }
  function allOpen() {
    return notes.every(function (d) { return d.open; });
  }
  function label() {
    button.textContent = labels[allOpen() ? 1 : 0];
  }
  function setAll(open) {
    notes.forEach(function (d) { d.open = open; });
    label();
  }
  button.addEventListener("click", function () {
    var open = !allOpen();
    setAll(open);
    try { localStorage.setItem(KEY, open ? "1" : "0"); } catch (e) { /* no storage: this page only */ }
  });
  notes.forEach(function (d) { d.addEventListener("toggle", label); });
  try { setAll(localStorage.getItem(KEY) === "1"); } catch (e) { setAll(false); }
  function reveal() {
    var e;
    try { e = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (x) { return; }
    for (; e; e = e.parentElement) if (e.tagName === "DETAILS") e.open = true;
  }
  addEventListener("hashchange", reveal);
  reveal();
  // A search hit inside a closed note: Material marks the searched words (<mark data-md-highlight>) once the search
  // index has loaded; open the notes that hold a mark, so that the reader sees what the search found.
  if (/[?&]h=/.test(location.search) && window.MutationObserver) {
    var watch = new MutationObserver(function () {
      var marks = document.querySelectorAll("details:not([open]) mark[data-md-highlight]");
      [].forEach.call(marks, function (m) {
        for (var d = m.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) d.open = true;
      });
      if (marks.length || document.querySelector("mark[data-md-highlight]")) watch.disconnect();
    });
    watch.observe(notes[0].parentNode, {childList: true, subtree: true});
  }
})();
