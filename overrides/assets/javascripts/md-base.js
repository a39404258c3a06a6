// Material 9.8's partials/javascripts/base.html as a file, so the page's Content-Security-Policy
// needs no inline script (overrides/main.html). The scope comes from the script element's
// data-md-scope (Material writes config.extra.scope or base_url there). Re-copy on upgrades.
__md_scope=new URL(document.currentScript.getAttribute("data-md-scope"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
// Ours, not Material's: the "js" class Material's bundle sets on <html> when it runs at the end of
// <body>, set here in the <head> before anything is laid out. Set by the bundle, the change
// restyles the whole page (Material's .no-js rules reach every element), a long task on a phone
// (issue #13). Without JavaScript neither script runs and .no-js stays; the bundle's own
// remove/add then changes nothing.
document.documentElement.classList.replace("no-js","js");
