// Marks the page as having JavaScript (GOV.UK Frontend's components style
// themselves by it) before it is drawn. A file, not an inline script, so the
// Content-Security-Policy needs no 'unsafe-inline'.
document.body.className +=
  " js-enabled" +
  ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
