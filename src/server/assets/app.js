// akhbar's page works without this file; it only saves clicks.
// - changing the date range or the sort order applies it at once;
// - "/" focuses the search box.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("form.dates select, form.dates input")) {
    field.addEventListener("change", () => field.form.requestSubmit());
  }
  const box = document.querySelector("form.search input[type=search]");
  document.addEventListener("keydown", (e) => {
    if (e.key === "/" && box && document.activeElement !== box) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  });
});
