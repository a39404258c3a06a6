// Interactive figures on top of the static chart: the figure's .svg download as an <img>.
// Loads the self-hosted vega, vega-lite and vega-embed only on pages that have a figure, and only
// when a reader first reaches for a chart (see start below). Re-runs on every page of Material's instant navigation
// (document$). Uses vega-embed's AST interpreter (no eval), so a strict CSP needs no unsafe-eval.
(function () {
  "use strict";
  var self = document.currentScript && document.currentScript.src;
  var vendor = new URL("../vendor/", self || location.href);
  var loading = null;

  function script(name) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = new URL(name, vendor).href;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + name)); };
      document.head.appendChild(s);
    });
  }

  function libraries() {
    if (!loading) {
      loading = script("vega.min.js")
        .then(function () { return script("vega-lite.min.js"); })
        .then(function () { return script("vega-embed.min.js"); });
    }
    return loading;
  }

  // The narrow layout on a phone: the same patch the build applied to draw the static narrow
  // SVG (macros/artefacts.py narrow_patch), merged into the spec the same way.
  function merge(base, patch) {
    var out = Object.assign({}, base);
    Object.keys(patch).forEach(function (k) {
      var v = patch[k], b = out[k];
      var both = v && b && typeof v === "object" && typeof b === "object" &&
        !Array.isArray(v) && !Array.isArray(b);
      out[k] = both ? merge(b, v) : v;
    });
    return out;
  }

  function layout(figure, spec) {
    var media = figure.dataset.narrowMedia, patch = figure.dataset.narrow;
    if (!media || !patch || !window.matchMedia(media).matches) return spec;
    return merge(spec, JSON.parse(patch));
  }

  function enhance(figure) {
    if (figure.dataset.state) return;
    figure.dataset.state = "loading";
    var chart = figure.querySelector(".portal-figure__chart");
    Promise.all([libraries(), fetch(figure.dataset.spec).then(function (r) { return r.json(); })])
      .then(function (loaded) {
        var holder = document.createElement("div");
        holder.className = "portal-figure__interactive";
        holder.setAttribute("aria-hidden", "true");
        return window.vegaEmbed(holder, layout(figure, loaded[1]), {
          actions: false, ast: true, renderer: "svg"
        }).then(function () {
          var img = chart.querySelector("img");
          if (img) {  // the text alternative moves from the static image to the chart's box
            chart.setAttribute("role", "img");
            chart.setAttribute("aria-label", img.alt);
          }
          chart.replaceChildren(holder);
          figure.dataset.state = "interactive";
        });
      })
      .catch(function (error) {
        figure.dataset.state = "static";  // the static SVG stays: nothing is lost
        console.warn("figure " + figure.id + " stays static:", error.message);
      });
  }

  // Nothing of vega loads until a reader reaches for a chart (pointer over it, a touch, or focus
  // on a link in it): until then the page costs what a page without charts costs. From then on,
  // the other figures turn interactive as they come near the viewport.
  var started = false, pending = [];

  function start(figure) {
    if (!started) {
      started = true;
      var rest = pending; pending = [];
      if ("IntersectionObserver" in window) {
        var observer = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) { observer.unobserve(entry.target); enhance(entry.target); }
          });
        }, { rootMargin: "300px" });
        rest.forEach(function (f) { observer.observe(f); });
      } else { rest.forEach(enhance); }
    }
    enhance(figure);
  }

  function init() {
    var figures = document.querySelectorAll("figure.portal-figure[data-spec]");
    if (!figures.length) return;
    started = false; pending = [];  // a new page of instant navigation
    figures.forEach(function (figure) {
      pending.push(figure);
      var go = function () { start(figure); };
      ["pointerenter", "touchstart", "focusin"].forEach(function (type) {
        figure.addEventListener(type, go, { once: true, passive: true });
      });
    });
  }

  if (window.document$) { window.document$.subscribe(init); }
  else { document.addEventListener("DOMContentLoaded", init); }
})();
