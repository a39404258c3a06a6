// Material 9.8's partials/javascripts/palette.html as a file (no inline script under the CSP).
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
// Ours, not Material's: the attribute with which Material's palette turns transitions off while
// it applies the palette, set here while <body> is still empty. Set by the bundle, after the page
// is laid out, it restyles every element once more ([data-md-color-switching] *, issue #13); the
// bundle removes it as before once the palette is applied.
document.body.setAttribute("data-md-color-switching","");
