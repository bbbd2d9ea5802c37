/* global window, document */
// Runs before the first paint (a blocking script in index.html's head; the CSP allows no inline
// script): applies a theme the user chose in the user menu, so a dark page never flashes light.
// "System" needs nothing here: index.scss follows prefers-color-scheme. The key and the values are
// src/lib/theme-preference.ts's.
(function () {
  try {
    var choice = window.localStorage.getItem('courier-theme');
    if (choice === 'light' || choice === 'dark') document.documentElement.setAttribute('data-courier-theme', choice);
  } catch {
    // Storage refused (privacy settings): the system theme applies.
  }
})();
