// Cite blocks (macros/cite_html.py): "Copy" buttons, the choice between this edition's
// permanent citation and the `latest` one, and the access date of the latest citation, which
// is built with a marker day (data-marker-*) and gets the reader's day here, on screen, when
// copied and when downloaded. Delegated listeners, so they survive Material's instant navigation.
(function () {
  function today() { return new Date(); }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function words(d, locale) {  // the long date citeproc writes: "December 3, 2026", "2026년 12월 3일"
    return new Intl.DateTimeFormat(locale || "en-US", { year: "numeric", month: "long", day: "numeric" })
      .format(d);
  }
  function dated(block, text, format) {
    var d = today();
    if (format === "csl") {
      var items = JSON.parse(text);
      items.forEach(function (item) {
        if (item.accessed) item.accessed = { "date-parts": [[d.getFullYear(), d.getMonth() + 1, d.getDate()]] };
      });
      return JSON.stringify(items, null, 2) + "\n";
    }
    var iso = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
    return text.split(block.dataset.markerText).join(words(d, block.dataset.markerLocale))
      .split(block.dataset.markerIso).join(iso)
      .split(block.dataset.markerRis).join(iso.replace(/-/g, "/"));
  }
  function latest(el) { return el.closest("[data-portal-variant=latest]"); }
  function fillBlock(block) {  // the latest variant's text shows today's date, not the marker
    block.querySelectorAll("[data-portal-variant=latest] [data-portal-copy-source]")
      .forEach(function (el) {
        if (el.textContent.indexOf(block.dataset.markerText) >= 0 ||
            el.textContent.indexOf(block.dataset.markerIso) >= 0) {
          el.innerHTML = dated(block, el.innerHTML, el.dataset.format);
        }
      });
  }
  // Only blocks a reader can see: a cite block is a closed <details>, filled when it opens, so
  // loading a page with many figures does not rewrite every block's citations at once.
  function fill() {
    document.querySelectorAll("[data-portal-cite]").forEach(function (block) {
      if (!block.closest("details:not([open])")) fillBlock(block);
    });
  }
  if (window.document$ && window.document$.subscribe) window.document$.subscribe(fill);
  else document.addEventListener("DOMContentLoaded", fill);
  document.addEventListener("toggle", function (event) {  // toggle does not bubble: capture
    var details = event.target;
    if (!details.open || !details.querySelectorAll) return;
    var own = details.matches("[data-portal-cite]") ? [details] : [];
    own.concat([].slice.call(details.querySelectorAll("[data-portal-cite]")))
      .forEach(function (block) { if (!block.closest("details:not([open])")) fillBlock(block); });
  }, true);

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches("[data-portal-cite] .portal-cite__choice input")) return;
    var block = input.closest("[data-portal-cite]");
    block.querySelectorAll(":scope > [data-portal-variant]").forEach(function (v) {
      v.hidden = v.dataset.portalVariant !== input.value;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-portal-copy]");
    if (button) {
      var source = button.parentElement.querySelector("[data-portal-copy-source]");
      if (!source || !navigator.clipboard) return;
      var text = source.textContent.trim();
      if (latest(button)) text = dated(button.closest("[data-portal-cite]"), text, "text");
      // the page's own words ("Copy"/"Copied", "복사"/"복사됨"), kept from before any click
      var label = button.dataset.label || (button.dataset.label = button.textContent);
      navigator.clipboard.writeText(text).then(function () {
        button.textContent = button.dataset.copied || label;
        setTimeout(function () { button.textContent = label; }, 1500);
      });
      return;
    }
    var link = event.target.closest("[data-portal-cite] a[download][data-format]");
    if (link && latest(link)) {  // downloads of the latest variant carry the reader's day
      var comma = link.href.indexOf(",");  // data:<type>;charset=utf-8;base64,<UTF-8 bytes>
      var text = new TextDecoder().decode(
        Uint8Array.from(atob(link.href.slice(comma + 1)), function (c) { return c.charCodeAt(0); }));
      var bytes = new TextEncoder().encode(
        dated(link.closest("[data-portal-cite]"), text, link.dataset.format));
      var binary = "";
      bytes.forEach(function (b) { binary += String.fromCharCode(b); });
      link.href = link.href.slice(0, comma + 1) + btoa(binary);
    }
  });
})();
