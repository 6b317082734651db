// The API documentation page (/api/v1/docs): start the vendored Swagger UI on the OpenAPI document.
// Kept in a file because the CSP forbids inline scripts.
(function () {
  "use strict";
  function start() {
    var node = document.getElementById("swagger-ui");
    if (!node || typeof window.SwaggerUIBundle !== "function") {
      return;
    }
    window.SwaggerUIBundle({
      url: node.getAttribute("data-spec-url"),
      domNode: node,
      deepLinking: true,
      tryItOutEnabled: false,
      persistAuthorization: false,
      withCredentials: false,
      // The API authenticates only by bearer token; never send the page's session cookie along.
      requestInterceptor: function (request) {
        request.credentials = "omit";
        return request;
      },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
