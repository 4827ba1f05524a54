// Typeset the math that pymdownx.arithmatex (generic mode) leaves in .arithmatex elements:
// inline math as \( ... \) in a <span>, display math as \[ ... \] in a <div>. KaTeX is served by the site itself.
(function () {
  function renderMath(root) {
    root.querySelectorAll(".arithmatex").forEach(function (element) {
      if (element.dataset.katexRendered) return;
      var tex = element.textContent.trim();
      var display = tex.startsWith("\\[");
      if (tex.startsWith("\\(") || display) tex = tex.slice(2, -2);
      katex.render(tex, element, { displayMode: display, throwOnError: false });
      element.dataset.katexRendered = "true";
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { renderMath(document.body); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { renderMath(document.body); });
  }
})();
