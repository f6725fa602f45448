from tests.conftest import auth


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_register_case(client):
    body = {
        "source": {"kind": "inspection"},
        "procedure": "general",
        "summary": "未按规定配备安全生产管理人员",
        "party": {"kind": "organisation", "name": "天津某化工有限公司"},
        "place": {"region": "120116", "address": "中塘镇工业园区"},
        "occurred_at": "2026-11-20T09:00:00+08:00",
    }
    r = client.post("/v1/cases", json=body, headers=auth("wang-fang"))
    print(r.json())
    assert r.status_code == 201
