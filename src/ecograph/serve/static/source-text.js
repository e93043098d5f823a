// A source text page: honour an RFC 5147 fragment (#char=start,end) as the server's ?char=
// (which marks the span), and bring the marked quote into view.
(function () {
  "use strict";
  var match = /^#char=(\d+),(\d+)$/.exec(window.location.hash);
  var params = new URLSearchParams(window.location.search);
  if (match && !params.has("char")) {
    params.set("char", match[1] + "," + match[2]);
    window.location.replace(window.location.pathname + "?" + params.toString() + "#quote");
    return;
  }
  var quote = document.getElementById("quote");
  if (quote) {
    quote.scrollIntoView({ block: "center" });
  }
})();
