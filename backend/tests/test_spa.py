"""Flask serves the built SPA: files as they are, index.html for client-side routes."""

import pytest


def get(client, path):
    """GET `path`, read the body and close the file Flask opened to send it."""
    response = client.get(path)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize("path", ["/", "/login", "/private", "/lab", "/how-it-works", "/a/b/c"])
def test_client_side_routes_get_index_html(client, path):
    response = get(client, path)
    assert response.status_code == 200
    assert "<title>JWT Classroom</title>" in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-cache"


def test_built_files_are_served_and_cached(client):
    response = get(client, "/assets/index-abc123.js")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "console.log('hi')"
    assert "max-age=31536000" in response.headers["Cache-Control"]


def test_files_outside_dist_are_not_served(client, spa_dist):
    (spa_dist.parent / "secret.txt").write_text("not for the web")
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2e%2e/%2e%2e/secret.txt"]:
        response = get(client, path)
        assert "not for the web" not in response.get_data(as_text=True), path


def test_api_paths_never_get_the_spa(client):
    response = get(client, "/api/private")
    assert response.status_code == 404
    assert response.is_json


def test_a_missing_build_is_a_clear_503(make_app, tmp_path):
    app = make_app(schema=None, SPA_DIST=tmp_path / "not-built")
    response = get(app.test_client(), "/private")
    assert response.status_code == 503
    assert response.mimetype == "text/plain"
    assert "The SPA is not built: run `make run`" in response.get_data(as_text=True)
