// Starts Swagger UI (swagger-ui-bundle.js, vendored from swagger-ui-dist) on the reference
// page of wan-mock (/docs, /__mock/docs) for the spec its #swagger-ui element names in
// data-spec-url. The spec's first server is this mock, so "Try it out" calls the mock; a
// control token the page was opened with (meta wan-mock-control-token) goes on the page's
// own requests to this mock. Nothing is loaded from anywhere but this mock.
"use strict";

(function () {
  const root = document.getElementById("swagger-ui");
  const token = document.querySelector('meta[name="wan-mock-control-token"]');

  function sameOrigin(url) {
    try {
      return new URL(url, location.href).origin === location.origin;
    } catch (error) {
      return false;
    }
  }

  window.ui = SwaggerUIBundle({
    url: root.dataset.specUrl,
    domNode: root,
    deepLinking: true,
    tryItOutEnabled: true,
    persistAuthorization: true,
    displayRequestDuration: true,
    filter: true,
    validatorUrl: null,
    queryConfigEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: function (request) {
      if (token && sameOrigin(request.url)) {
        request.headers["X-Mock-Control-Token"] = token.content;
      }
      return request;
    },
  });
})();
