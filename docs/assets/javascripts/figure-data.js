// The data behind each figure (macros/templates/figure.html) ships as a <template> inside its
// closed <details>, so the table's cells are not in the page's DOM until a reader opens it: on a
// briefing with several figures they were two thirds of its elements, styled and scanned on
// every load. The table is moved in when its <details> first opens. A delegated listener, so it
// survives Material's instant navigation.
(function () {
  document.addEventListener("toggle", function (event) {  // toggle does not bubble: capture
    var details = event.target;
    if (!details.open || !details.matches || !details.matches("details.portal-figure__data")) return;
    var template = details.querySelector(":scope > template[data-portal-table]");
    if (template) details.replaceChild(template.content, template);
  }, true);
})();
