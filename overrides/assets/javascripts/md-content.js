// Material 9.8's partials/javascripts/content.html as a file (no inline script under the CSP);
// instant navigation re-inserts it with each page, as it did the inline one.
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"));
