"""Users, logins and roles."""


def init_app(app):
    from tracker.auth.views import init_app as _init

    _init(app)

    from tracker.auth.login_views import init_app as _init_logins

    _init_logins(app)
