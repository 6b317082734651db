"""Cross-cutting web pieces: home, language switch, navigation, errors, security headers."""


def init_app(app):
    from tracker.core.views import init_app as _init

    _init(app)
