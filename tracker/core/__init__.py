"""Cross-cutting web pieces: home, language switch, navigation, errors, security headers, the
request transaction."""


def init_app(app):
    from tracker.core import offline, transaction
    from tracker.core.views import init_app as _init

    _init(app)
    transaction.init_app(app)
    offline.init_app(app)
