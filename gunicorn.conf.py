"""gunicorn's settings for the app, read from the working directory (``gunicorn 'tracker:create_app()'``).

The request line may be as long as gunicorn allows (8190 bytes, the default is 4094), so that the app
itself refuses a URL that is too long (tracker/api: a 414 problem under /api/, beyond
``MAX_URL_LENGTH``). Only a request line over 8190 bytes still gets gunicorn's own plain 414 page.
Headers: at most 100, each at most 8190 bytes (gunicorn answers 431/400 beyond).
"""

limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
