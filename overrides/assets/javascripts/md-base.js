// Material 9.8's partials/javascripts/base.html as a file, so the page's Content-Security-Policy
// needs no inline script (overrides/main.html). The scope comes from the script element's
// data-md-scope (Material writes config.extra.scope or base_url there). Re-copy on upgrades.
__md_scope=new URL(document.currentScript.getAttribute("data-md-scope"),location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
