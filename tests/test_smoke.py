def test_bank_page_answers(client, db):
    response = client.get("/questions/")
    assert response.status_code == 200
