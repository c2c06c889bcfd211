// Site behaviour that Material does not provide by itself. Runs on every page.
document.addEventListener("DOMContentLoaded", function () {
  // Math: render what pymdownx.arithmatex marks up, with the KaTeX copy served by the site.
  document.querySelectorAll(".arithmatex").forEach(function (element) {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true },
      ],
      throwOnError: false,
    });
  });
  // Keyboard access: code and output blocks scroll sideways, so they must take focus.
  document.querySelectorAll(".md-typeset pre > code").forEach(function (block) {
    block.setAttribute("tabindex", "0");
  });
  // The search overlay is a dialog and needs an accessible name.
  var search = document.querySelector(".md-search");
  var input = document.querySelector(".md-search__input");
  if (search && input) {
    search.setAttribute("aria-label", input.getAttribute("aria-label") || input.placeholder);
  }
});
