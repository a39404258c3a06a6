/* The edition switcher of a translated build (<edition>/ko/, issue 14).
 *
 * Material's own switcher reads versions.json one folder above the build's root, which for
 * <edition>/ko/ is <edition>/, where mike writes none, and links each edition as
 * <edition>/<other>/. So the translated build gives Material a version provider it does not
 * know (macros/i18n_hooks.py: Material renders the "outdated" banner but no switcher), and this
 * script does the switcher's work from mike's versions.json at the site root: the same markup
 * as Material's (so its styles and keyboard behaviour), each edition linked at its page in this
 * language. Choosing an edition keeps the reader on the same page in this language when that
 * edition's sitemap lists it (a page unchanged since an earlier edition is listed as its
 * redirect), else on that edition's home in this language; an edition built before this
 * language existed has no sitemap here, and the reader lands on its English page.
 */
(function () {
  "use strict";
  var node = document.getElementById("__config");
  var config = node ? JSON.parse(node.textContent) : {};
  if (!config.version || config.version.provider !== "portal") return;
  var base = new URL(config.base, location.href);   // <root>/<edition>/<lang>/, as loaded
  var parts = base.pathname.replace(/\/$/, "").split("/");
  var lang = parts.pop(), current = parts.pop();
  var root = new URL("../../", base);

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    children.forEach(function (c) {
      e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function label(entry) {  // title, and the first alias (Material: with `alias: true`)
    var shown = [entry.title];
    if (config.version.alias && entry.aliases.length)
      shown.push(el("span", {class: "md-version__alias"}, [entry.aliases[0]]));
    return shown;
  }

  function sitemap(url) {  // the site paths a build's sitemap lists, relative to its root
    return fetch(new URL("sitemap.xml", url)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }).then(function (xml) {
      var locs = [].map.call(new DOMParser().parseFromString(xml, "text/xml")
        .querySelectorAll("url > loc"), function (loc) { return loc.textContent.trim(); });
      var prefix = locs.reduce(function (a, b) {  // the build's root: what every page shares
        var i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        return a.slice(0, i);
      }, locs[0] || "");
      prefix = prefix.slice(0, prefix.lastIndexOf("/") + 1);
      return locs.map(function (loc) { return loc.slice(prefix.length); });
    });
  }

  function go(edition) {
    var here = location.pathname.indexOf(base.pathname) === 0
      ? location.pathname.slice(base.pathname.length) : "";
    var target = new URL(edition + "/" + lang + "/", root);
    sitemap(target).then(function (pages) {
      var same = pages.indexOf(here) >= 0;
      location.assign(same ? new URL(here + location.hash, target) : target);
    }, function () {  // no build in this language in that edition: its English page
      location.assign(new URL(edition + "/" + here + location.hash, root));
    });
  }

  fetch(new URL("versions.json", root)).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (versions) {
    versions = versions.filter(function (v) { return !(v.properties && v.properties.hidden); });
    if (!versions.length) return;
    var active = versions.filter(function (v) {
      return v.version === current || v.aliases.indexOf(current) >= 0;
    })[0] || versions[0];
    var items = versions.map(function (v) {
      var link = el("a", {href: new URL(v.version + "/" + lang + "/", root).href,
                          class: "md-version__link"}, label(v));
      link.addEventListener("click", function (event) {
        if (event.metaKey || event.ctrlKey) return;  // a new tab gets the edition's home
        event.preventDefault();
        event.stopPropagation();  // not Material's instant navigation: another build
        go(v.version);
      });
      return el("li", {class: "md-version__item"}, [link]);
    });
    var selector = el("div", {class: "md-version"}, [
      el("button", {class: "md-version__current",
                    "aria-label": (config.translations || {})["select.version"] || ""},
         label(active)),
      el("ul", {class: "md-version__list"}, items)]);
    var topic = document.querySelector(".md-header__topic");
    if (topic) topic.appendChild(selector);
    var latest = [].concat(config.version["default"] || "latest");
    var outdated = !latest.some(function (name) {
      return active.aliases.concat(active.version).some(function (a) {
        return new RegExp(name, "i").test(a);
      });
    });
    if (outdated) [].forEach.call(document.querySelectorAll("[data-md-component=outdated]"),
                                  function (banner) { banner.hidden = false; });
  }, function () { /* no versions.json: a build outside an edition, no switcher */ });
})();
