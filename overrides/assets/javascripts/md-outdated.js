// Material 9.8's partials/javascripts/outdated.html as a file (no inline script under the CSP),
// with one fix: `new URL(base_url)` throws for the relative base_url MkDocs gives ("." / "..");
// it is resolved against the page's location. The base comes from data-md-base.
var el=document.querySelector("[data-md-component=outdated]"),base=new URL(document.currentScript.getAttribute("data-md-base"),location),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1);
