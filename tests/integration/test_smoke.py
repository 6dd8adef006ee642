from tests.factories import login


def test_login_page(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"Log in" in response.data


def test_logged_in_client_list(client, make):
    user = make.user()
    login(client, user)
    response = client.get("/clients")
    assert response.status_code == 200
    assert b"No clients yet" in response.data
