// Start GOV.UK Frontend's components (service navigation toggle, etc.).
import { initAll } from "../build/govuk-frontend.min.js";

initAll();
