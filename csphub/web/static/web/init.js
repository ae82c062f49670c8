// Start GOV.UK Frontend's components (service navigation toggle, etc.).
import { initAll } from "../build/govuk-frontend.min.js";

initAll();

// A table that scrolls in its own box (on a phone) can be scrolled from the
// keyboard: it takes focus when it has no link or button inside to take it.
for (const table of document.querySelectorAll(".govuk-table")) {
  if (table.scrollWidth > table.clientWidth && !table.querySelector("a, button, input, select")) {
    table.tabIndex = 0;
  }
}
