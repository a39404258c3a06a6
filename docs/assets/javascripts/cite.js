// "Copy" buttons of the cite block: copy the citation text next to the button.
// One delegated listener, so it keeps working across Material's instant navigation.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-portal-copy]");
  if (!button) return;
  var source = button.parentElement.querySelector("[data-portal-copy-source]");
  if (!source || !navigator.clipboard) return;
  navigator.clipboard.writeText(source.textContent.trim()).then(function () {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = "Copy"; }, 1500);
  });
});
