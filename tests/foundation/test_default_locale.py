"""A default language that the office does not offer falls back to the first one it offers."""

from __future__ import annotations

from tracker import create_app


def test_an_unknown_default_language_falls_back_to_the_first_offered(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "SECRET_KEY": "x",
                      "LANGUAGES": ("en",), "DEFAULT_LOCALE": "fr"})
    assert app.config["DEFAULT_LOCALE"] == "en" and app.config["BABEL_DEFAULT_LOCALE"] == "en"


def test_a_person_without_a_preferred_language_gets_the_configured_default(app, monkeypatch):
    from tracker.directory import operations as ops

    monkeypatch.setitem(app.config, "DEFAULT_LOCALE", "en")
    assert ops.create_person({"name_en": "Ravi Kumar"}).preferred_locale == "en"
