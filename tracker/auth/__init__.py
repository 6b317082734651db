"""Users, logins and roles."""


def init_app(app):
    from tracker.auth.views import init_app as _init

    _init(app)
